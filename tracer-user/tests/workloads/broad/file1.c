/* Fidelity workload c-broad-file1 (issue 19's broad corpus, cargo xtask fidelity): openat2,
 * faccessat2, renameat2, linkat, xattrs, utimensat, close_range, splice, with valid, invalid
 * and NULL arguments. */
#include "common.h"
#include <linux/openat2.h>
#include <sys/xattr.h>
int main(){
 struct open_how h={.flags=O_RDONLY|O_CLOEXEC,.mode=0,.resolve=RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH};
 S(SYS_openat2,AT_FDCWD,"/etc/passwd",&h,sizeof h);
 S(SYS_openat2,AT_FDCWD,"/etc/passwd",NULL,sizeof h);
 S(SYS_openat2,AT_FDCWD,"/etc/passwd",&h,3);
 S(SYS_openat2,-1,NULL,BAD,0xffffffff);
 struct open_how h2={.flags=0xffffffff,.mode=0777,.resolve=0xff};
 S(SYS_openat2,AT_FDCWD,"/tmp",&h2,sizeof h2);
 S(SYS_faccessat2,AT_FDCWD,"/etc/passwd",R_OK|W_OK,AT_EACCESS|AT_SYMLINK_NOFOLLOW);
 S(SYS_faccessat2,-1,NULL,0xffffffff,0xffffffff);
 S(SYS_faccessat,AT_FDCWD,"/nonexistent",F_OK);
 S(SYS_renameat2,AT_FDCWD,"/tmp/tracer-broad-nx1",AT_FDCWD,"/tmp/tracer-broad-nx2",RENAME_NOREPLACE|RENAME_WHITEOUT);
 S(SYS_renameat2,-1,NULL,-100,BAD,0xffffffff);
 S(SYS_linkat,AT_FDCWD,"/tmp/tracer-broad-nx1",AT_FDCWD,"/tmp/tracer-broad-nx2",AT_SYMLINK_FOLLOW|AT_EMPTY_PATH);
 S(SYS_linkat,-1,BAD,-1,NULL,0xffffffff);
 S(SYS_symlinkat,"target",AT_FDCWD,"/nonexistent/dir/x");
 S(SYS_readlinkat,AT_FDCWD,"/proc/self/nonexist",NULL,0);
 char buf[64]; S(SYS_readlinkat,AT_FDCWD,"/proc/self/cwd",buf,(size_t)-1);
 S(SYS_mkdirat,AT_FDCWD,"/proc/x",01777);
 S(SYS_unlinkat,AT_FDCWD,"/tmp/tracer-broad-nx",AT_REMOVEDIR);
 S(SYS_unlinkat,-1,NULL,0xffffffff);
 S(SYS_fchmodat,AT_FDCWD,"/tmp/tracer-broad-nx",04755);
 S(SYS_fchownat,AT_FDCWD,"/tmp/tracer-broad-nx",-1,-1,AT_SYMLINK_NOFOLLOW);
 S(SYS_mknodat,AT_FDCWD,"/tmp/tracer-broad-nx-dev",S_IFCHR|0600,makedev(1,3));
 S(SYS_mknodat,AT_FDCWD,"/proc/t9",S_IFIFO|0644,0);
 S(SYS_setxattr,"/tmp","user.broad","val",3,XATTR_CREATE);
 S(SYS_lsetxattr,"/tmp","user.broad",NULL,0xffffffff,0xff);
 S(SYS_getxattr,"/etc/passwd","user.nx",buf,sizeof buf);
 S(SYS_getxattr,BAD,NULL,NULL,0);
 S(SYS_listxattr,"/etc/passwd",buf,sizeof buf);
 S(SYS_listxattr,"/etc/passwd",NULL,0);
 S(SYS_flistxattr,-1,BAD,1);
 S(SYS_removexattr,"/tmp","user.nx");
 S(SYS_fremovexattr,0xffffffff,"user.nx");
 S(SYS_truncate,"/nonexistent",-1L);
 S(SYS_ftruncate,-1,1L<<40);
 S(SYS_fallocate,-1,FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE,0,4096);
 S(SYS_fadvise64,-1,0,0,POSIX_FADV_DONTNEED);
 S(SYS_utimensat,AT_FDCWD,"/nonexistent",NULL,0);
 struct timespec ts[2]={{1,2},{UTIME_NOW,UTIME_OMIT}}; S(SYS_utimensat,-1,NULL,ts,AT_SYMLINK_NOFOLLOW);
 S(SYS_chdir,"/nonexistent"); S(SYS_fchdir,-1); S(SYS_chroot,BAD);
 S(SYS_getcwd,buf,sizeof buf); S(SYS_getcwd,NULL,0);
 S(SYS_umask,0777); S(SYS_umask,022);
 S(SYS_name_to_handle_at,AT_FDCWD,"/etc",NULL,NULL,0);
 S(SYS_close_range,3,~0U,CLOSE_RANGE_CLOEXEC); S(SYS_close_range,10,3,0xffffffff);
 S(SYS_copy_file_range,-1,NULL,-1,NULL,100,0);
 S(SYS_sendfile,-1,-1,NULL,1<<30);
 S(SYS_splice,-1,NULL,-1,NULL,4096,SPLICE_F_MOVE|SPLICE_F_NONBLOCK);
 S(SYS_tee,-1,-1,100,0xff);
 S(SYS_sync_file_range,-1,0,0,SYNC_FILE_RANGE_WAIT_BEFORE|SYNC_FILE_RANGE_WRITE);
 return 0;}
