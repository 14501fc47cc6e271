/* Fidelity workload c-broad-mount (issue 19's broad corpus, cargo xtask fidelity):
 * fsopen/fsconfig/fsmount/move_mount/mount_setattr, mount, quotactl, io_uring, with valid,
 * invalid and NULL arguments. */
#include "common.h"
#include <linux/mount.h>
#include <sys/quota.h>
#include <linux/io_uring.h>
#include <sys/mount.h>
int main(){
 int fs=S(SYS_fsopen,"tmpfs",FSOPEN_CLOEXEC); S(SYS_fsopen,"nonexistentfs",0); S(SYS_fsopen,NULL,0xff);
 S(SYS_fsconfig,fs,FSCONFIG_SET_STRING,"size","1m",0); S(SYS_fsconfig,fs,FSCONFIG_SET_FLAG,"ro",NULL,0); S(SYS_fsconfig,fs,FSCONFIG_SET_STRING,"mode","0700",0);
 S(SYS_fsconfig,fs,0xff,NULL,NULL,0); S(SYS_fsconfig,-1,FSCONFIG_SET_FD,"fd",NULL,5); S(SYS_fsconfig,fs,FSCONFIG_CMD_CREATE,NULL,NULL,0);
 int mf=S(SYS_fsmount,fs,FSMOUNT_CLOEXEC,MOUNT_ATTR_NODEV|MOUNT_ATTR_NOSUID); S(SYS_fsmount,-1,0xff,0xffffffff);
 mkdir("/tmp/tracer-broad-mnt",0700); S(SYS_move_mount,mf,"",AT_FDCWD,"/tmp/tracer-broad-mnt",MOVE_MOUNT_F_EMPTY_PATH); S(SYS_move_mount,-1,NULL,-1,NULL,0xffffffff);
 struct mount_attr ma={.attr_set=MOUNT_ATTR_RDONLY,.attr_clr=MOUNT_ATTR_NOEXEC,.propagation=0,.userns_fd=0};
 S(SYS_mount_setattr,AT_FDCWD,"/tmp/tracer-broad-mnt",AT_RECURSIVE,&ma,sizeof ma); S(SYS_mount_setattr,-1,NULL,0xffffffff,BAD,0xffffffff);
 S(SYS_open_tree,AT_FDCWD,"/tmp/tracer-broad-mnt",OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC); S(SYS_fspick,AT_FDCWD,"/tmp/tracer-broad-mnt",FSPICK_CLOEXEC); S(SYS_fspick,-1,BAD,0xff);
 S(SYS_umount2,"/tmp/tracer-broad-mnt",MNT_DETACH|UMOUNT_NOFOLLOW); S(SYS_umount2,"/nonexistent",0xff);
 S(SYS_mount,"none","/tmp/tracer-broad-mnt","tmpfs",MS_NOSUID|MS_NODEV|MS_RDONLY,"size=1m"); S(SYS_mount,NULL,"/tmp/tracer-broad-mnt",NULL,MS_REMOUNT|MS_BIND,NULL); S(SYS_umount2,"/tmp/tracer-broad-mnt",0);
 S(SYS_mount,NULL,"/nonexistent",NULL,MS_PRIVATE|MS_REC,NULL); S(SYS_mount,BAD,BAD,BAD,0xffffffff,BAD); rmdir("/tmp/tracer-broad-mnt");
 char b[64]; S(SYS_quotactl,QCMD(Q_GETQUOTA,USRQUOTA),"/dev/nonexistent",0,b); S(SYS_quotactl,QCMD(Q_SYNC,GRPQUOTA),NULL,0,NULL); S(SYS_quotactl,0xffffffff,BAD,-1,BAD);
 S(SYS_quotactl,QCMD(Q_GETFMT,PRJQUOTA),"/",0,b); S(SYS_quotactl_fd,-1,QCMD(Q_GETINFO,USRQUOTA),0,b);
 struct io_uring_params p; memset(&p,0,sizeof p); int u=S(SYS_io_uring_setup,4,&p); memset(&p,0,sizeof p); p.flags=0xffffffff; S(SYS_io_uring_setup,0,&p); S(SYS_io_uring_setup,4,NULL);
 S(SYS_io_uring_enter,u,0,0,IORING_ENTER_GETEVENTS,NULL,0); S(SYS_io_uring_enter,-1,1,1,0xffffffff,BAD,8);
 S(SYS_io_uring_register,u,IORING_REGISTER_PROBE,NULL,0); S(SYS_io_uring_register,u,0xff,NULL,0); int fds[2]={0,1}; S(SYS_io_uring_register,u,IORING_REGISTER_FILES,fds,2); S(SYS_io_uring_register,u,IORING_UNREGISTER_FILES,NULL,0);
 S(SYS_sync); S(SYS_syncfs,-1); S(SYS_fsync,-1); S(SYS_fdatasync,0xffffffff);
 return 0;}
