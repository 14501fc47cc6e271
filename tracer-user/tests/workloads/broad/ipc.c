/* Fidelity workload c-broad-ipc (issue 19's broad corpus, cargo xtask fidelity): SysV
 * shm/msg/sem and mq_*, with valid, invalid and NULL arguments. */
#include "common.h"
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <mqueue.h>
#include <signal.h>
int main(){
 int sh=S(SYS_shmget,IPC_PRIVATE,4096,IPC_CREAT|IPC_EXCL|0600); S(SYS_shmget,0x1234,0,0); S(SYS_shmget,-1,0xffffffffffffUL,0xffffffff);
 void*p=(void*)S(SYS_shmat,sh,NULL,SHM_RDONLY); S(SYS_shmdt,p); S(SYS_shmdt,BAD); S(SYS_shmat,-1,BAD,0xffff);
 struct shmid_ds ds; S(SYS_shmctl,sh,IPC_STAT,&ds); S(SYS_shmctl,sh,IPC_SET,&ds); S(SYS_shmctl,sh,SHM_LOCK,NULL); S(SYS_shmctl,sh,0xff,NULL); S(SYS_shmctl,sh,IPC_RMID,NULL);
 int mq=S(SYS_msgget,IPC_PRIVATE,IPC_CREAT|0600); struct {long t; char x[8];} mb={1,"hi"};
 S(SYS_msgsnd,mq,&mb,3,IPC_NOWAIT); S(SYS_msgrcv,mq,&mb,8,0,IPC_NOWAIT|MSG_NOERROR); S(SYS_msgrcv,mq,&mb,8,5,IPC_NOWAIT); S(SYS_msgsnd,-1,NULL,0xffffffff,0xff);
 struct msqid_ds md; S(SYS_msgctl,mq,IPC_STAT,&md); S(SYS_msgctl,mq,IPC_RMID,NULL); S(SYS_msgctl,mq,0xff,BAD);
 int se=S(SYS_semget,IPC_PRIVATE,2,IPC_CREAT|0600); struct sembuf ops[2]={{0,1,IPC_NOWAIT},{1,0,SEM_UNDO|IPC_NOWAIT}};
 S(SYS_semop,se,ops,2); struct timespec ts={0,1}; S(SYS_semtimedop,se,ops,1,&ts); S(SYS_semop,se,NULL,0); S(SYS_semop,-1,BAD,0xffffffff);
 S(SYS_semctl,se,0,GETVAL); unsigned short arr[2]; S(SYS_semctl,se,0,GETALL,arr); S(SYS_semctl,se,0,SETVAL,5); S(SYS_semctl,se,0,IPC_RMID); S(SYS_semctl,-1,0xff,0xff,BAD);
 struct mq_attr a={0,4,64,0}; int q=S(SYS_mq_open,"t9q",O_RDWR|O_CREAT|O_EXCL,0600,&a); S(SYS_mq_open,"t9none",O_RDONLY); S(SYS_mq_open,NULL,0xffffffff,0,BAD);
 S(SYS_mq_timedsend,q,"hello",5,3,NULL); char b[64]; unsigned pr; struct timespec t0={0,0}; S(SYS_mq_timedreceive,q,b,64,&pr,&t0); S(SYS_mq_timedreceive,q,b,64,&pr,&t0);
 struct mq_attr o; S(SYS_mq_getsetattr,q,NULL,&o); a.mq_flags=O_NONBLOCK; S(SYS_mq_getsetattr,q,&a,&o); struct sigevent sev={0}; sev.sigev_notify=SIGEV_SIGNAL; sev.sigev_signo=SIGUSR1;
 S(SYS_mq_notify,q,&sev); S(SYS_mq_notify,q,NULL); S(SYS_mq_notify,-1,BAD); S(SYS_mq_unlink,"t9q"); S(SYS_mq_unlink,"t9none");
 return 0;}
