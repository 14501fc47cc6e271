/* quotactl by command with valid, invalid and NULL arguments: QCMD(cmd, type), the special
 * file, and what each command takes (ids, struct if_dqblk/if_dqinfo, formats, a quota file).
 * /dev/null is no block device: nothing is changed. */
#include <sys/quota.h>
#include <linux/dqblk_xfs.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    struct dqblk dq = { .dqb_bhardlimit = 10, .dqb_curspace = 4096 };
    struct dqinfo di = { .dqi_bgrace = 60, .dqi_flags = 1, .dqi_valid = 3 };
    unsigned fmt = 0;
    syscall(SYS_quotactl, QCMD(Q_GETQUOTA, USRQUOTA), "/dev/null", 0, &dq);
    syscall(SYS_quotactl, QCMD(Q_GETQUOTA, GRPQUOTA), "/dev/null", -1, NULL);
    syscall(SYS_quotactl, QCMD(Q_SETQUOTA, PRJQUOTA), "/dev/null", 1000, &dq);
    syscall(SYS_quotactl, QCMD(Q_SETQUOTA, USRQUOTA), NULL, 1000, (void *)1);
    syscall(SYS_quotactl, QCMD(Q_GETNEXTQUOTA, USRQUOTA), "/dev/null", 5, &dq);
    syscall(SYS_quotactl, QCMD(Q_SYNC, GRPQUOTA), NULL, 0, NULL);
    syscall(SYS_quotactl, QCMD(Q_SYNC, 7), "/nonexistent", 0, NULL);
    syscall(SYS_quotactl, QCMD(Q_QUOTAON, USRQUOTA), "/dev/null", QFMT_VFS_V1, "/aquota.user");
    syscall(SYS_quotactl, QCMD(Q_QUOTAON, USRQUOTA), "/dev/null", 99, NULL);
    syscall(SYS_quotactl, QCMD(Q_QUOTAOFF, USRQUOTA), "/dev/null", 0, NULL);
    syscall(SYS_quotactl, QCMD(Q_GETFMT, USRQUOTA), "/dev/null", 0, &fmt);
    syscall(SYS_quotactl, QCMD(Q_GETINFO, USRQUOTA), "/dev/null", 0, &di);
    syscall(SYS_quotactl, QCMD(Q_SETINFO, USRQUOTA), "/dev/null", 0, &di);
    syscall(SYS_quotactl, QCMD(Q_SETINFO, USRQUOTA), "/dev/null", 0, NULL);
    syscall(SYS_quotactl, QCMD(0x123456, USRQUOTA), "/dev/null", 7, &dq);
    syscall(SYS_quotactl, QCMD(Q_XQUOTASYNC, USRQUOTA), "/dev/null", 0, NULL);
    return 0;
}
