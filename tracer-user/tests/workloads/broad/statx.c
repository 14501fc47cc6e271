/* Fidelity workload c-broad-statx (issue 19's broad corpus, cargo xtask fidelity): statx,
 * newfstatat, statfs, with valid, invalid and NULL arguments. */
#include "common.h"
#include <linux/stat.h>
#include <sys/statfs.h>
int main(){
 struct statx sx; struct stat st; struct statfs sf;
 S(SYS_statx,AT_FDCWD,"/etc/passwd",AT_SYMLINK_NOFOLLOW|AT_STATX_SYNC_AS_STAT,STATX_BASIC_STATS,&sx);
 S(SYS_statx,AT_FDCWD,"/etc/passwd",0,STATX_ALL|STATX_MNT_ID,&sx);
 S(SYS_statx,-1,NULL,0xffffffff,0xffffffff,NULL);
 S(SYS_statx,AT_FDCWD,"/nonexistent",AT_EMPTY_PATH,0,BAD);
 S(SYS_newfstatat,AT_FDCWD,"/etc/passwd",&st,0);
 S(SYS_newfstatat,AT_FDCWD,"/etc/passwd",NULL,AT_NO_AUTOMOUNT);
 S(SYS_newfstatat,-1,"",&st,AT_EMPTY_PATH);
 S(SYS_stat,"/nonexistent",&st); S(SYS_lstat,NULL,&st); S(SYS_fstat,0xffffffff,&st);
 S(SYS_statfs,"/",&sf); S(SYS_statfs,"/nonexistent",NULL); S(SYS_fstatfs,-1,&sf);
 S(SYS_ustat,0,NULL);
 return 0;}
