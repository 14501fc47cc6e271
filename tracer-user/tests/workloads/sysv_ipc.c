/* System V IPC's structs and operations as strace prints them: shmctl/msgctl/semctl with
 * IPC_STAT and IPC_SET (their shmid_ds, msqid_ds, semid_ds), on a bad id, with NULL and
 * unreadable buffers; msgsnd/msgrcv's {mtype, mtext} (short, past -s, none waiting, NULL);
 * semop/semtimedop's [{sem_num, sem_op, sem_flg}] (several, none, NULL, unreadable, with a
 * timeout). Ids, times and pids change from run to run (the test masks them). */
#define _GNU_SOURCE
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BAD ((void *)0xbadc0de)

struct msg {
    long mtype;
    char mtext[64];
};

int main(void) {
    int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    struct shmid_ds sds;
    shmctl(shm, IPC_STAT, &sds);
    sds.shm_perm.mode = 0640;
    shmctl(shm, IPC_SET, &sds);
    shmctl(shm, IPC_STAT, NULL);
    shmctl(shm, IPC_SET, BAD);
    shmctl(-1, IPC_STAT, &sds);
    shmctl(shm, IPC_RMID, NULL);

    int mq = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    struct msqid_ds mds;
    msgctl(mq, IPC_STAT, &mds);
    msgctl(mq, IPC_SET, &mds);
    msgctl(-1, IPC_STAT, &mds);
    msgctl(mq, IPC_STAT, BAD);
    struct msg m = {.mtype = 42, .mtext = "hello"};
    msgsnd(mq, &m, 6, IPC_NOWAIT);
    struct msg big = {.mtype = 7};
    memset(big.mtext, 'x', sizeof big.mtext);
    msgsnd(mq, &big, sizeof big.mtext, IPC_NOWAIT);
    msgsnd(mq, NULL, 4, IPC_NOWAIT);
    msgsnd(mq, BAD, 4, 0);
    msgsnd(mq, &m, 6, 0x1000);
    struct msg in;
    memset(&in, 0, sizeof in);
    msgrcv(mq, &in, 16, 0, IPC_NOWAIT | MSG_NOERROR);
    msgrcv(mq, &in, sizeof in.mtext, 7, IPC_NOWAIT);
    msgrcv(mq, &in, 16, 0, IPC_NOWAIT);
    msgrcv(mq, NULL, 16, -5, IPC_NOWAIT | MSG_EXCEPT);
    msgctl(mq, IPC_RMID, NULL);

    int sem = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
    struct semid_ds smd;
    semctl(sem, 0, IPC_STAT, &smd);
    semctl(sem, 0, IPC_SET, &smd);
    semctl(sem, 0, IPC_STAT, NULL);
    semctl(sem, 0, SETVAL, 1);
    struct sembuf ops[3] = {{0, 1, 0}, {1, 1, SEM_UNDO}, {0, -1, IPC_NOWAIT | SEM_UNDO}};
    semop(sem, ops, 3);
    semop(sem, ops, 0);
    semop(sem, NULL, 1);
    semop(sem, BAD, 2);
    struct sembuf odd = {5, -3, 0x10};
    semop(sem, &odd, 1);
    struct timespec ts = {0, 1000};
    struct sembuf wait = {1, -5, 0};
    syscall(SYS_semtimedop, sem, &wait, 1, &ts);
    syscall(SYS_semtimedop, sem, ops, 2, NULL);
    semctl(sem, 0, IPC_RMID);
    return 0;
}
