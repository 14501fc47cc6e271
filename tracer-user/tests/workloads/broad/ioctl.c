/* Fidelity workload c-broad-ioctl (issue 19's broad corpus, cargo xtask fidelity): terminal
 * (TC..., TIOC...), FS_IOC_..., BLK..., RND..., LOOP..., EVIOC... and SIOC... requests, with
 * valid, invalid and NULL arguments. */
#include "common.h"
#include <sys/ioctl.h>
#include <termios.h>
#include <linux/fs.h>
#include <linux/random.h>
#include <linux/loop.h>
#include <linux/input.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/socket.h>
#include <pty.h>
int main(){
 int m,s; openpty(&m,&s,NULL,NULL,NULL);
 struct termios t; S(SYS_ioctl,s,TCGETS,&t); S(SYS_ioctl,s,TCSETS,&t); S(SYS_ioctl,s,TCSETSW,&t); S(SYS_ioctl,s,TCGETS,NULL);
 struct winsize w={24,80,0,0}; S(SYS_ioctl,s,TIOCSWINSZ,&w); S(SYS_ioctl,s,TIOCGWINSZ,&w); S(SYS_ioctl,-1,TIOCGWINSZ,BAD);
 int n; S(SYS_ioctl,m,FIONREAD,&n); S(SYS_ioctl,m,TIOCGPTN,&n); S(SYS_ioctl,s,TIOCGPGRP,&n); S(SYS_ioctl,m,TIOCSPTLCK,&n);
 S(SYS_ioctl,s,TCFLSH,TCIOFLUSH); S(SYS_ioctl,s,TCXONC,TCOON); S(SYS_ioctl,s,TCSBRK,1); S(SYS_ioctl,s,TIOCOUTQ,&n); S(SYS_ioctl,s,TIOCMGET,&n);
 S(SYS_ioctl,s,TIOCEXCL); S(SYS_ioctl,s,TIOCNXCL); S(SYS_ioctl,s,TIOCSCTTY,0); S(SYS_ioctl,s,TIOCGSID,&n); S(SYS_ioctl,s,FIONBIO,&n); S(SYS_ioctl,s,FIOCLEX); S(SYS_ioctl,s,FIONCLEX);
 int f=open("/etc/passwd",O_RDONLY); long fl; S(SYS_ioctl,f,FS_IOC_GETFLAGS,&fl); S(SYS_ioctl,f,FS_IOC_SETFLAGS,&fl); S(SYS_ioctl,f,FS_IOC_GETVERSION,&n);
 struct fsxattr fx; S(SYS_ioctl,f,FS_IOC_FSGETXATTR,&fx); S(SYS_ioctl,f,FIGETBSZ,&n); S(SYS_ioctl,f,FIBMAP,&n); S(SYS_ioctl,f,FICLONE,0);
 uint64_t sz; S(SYS_ioctl,f,BLKGETSIZE64,&sz); S(SYS_ioctl,f,BLKSSZGET,&n); S(SYS_ioctl,f,BLKROGET,&n); S(SYS_ioctl,f,BLKFLSBUF,0); S(SYS_ioctl,f,BLKDISCARD,BAD);
 int r=open("/dev/urandom",O_RDONLY); S(SYS_ioctl,r,RNDGETENTCNT,&n); S(SYS_ioctl,r,RNDADDTOENTCNT,&n); S(SYS_ioctl,r,RNDCLEARPOOL); S(SYS_ioctl,r,RNDZAPENTCNT);
 int l=open("/dev/loop-control",O_RDWR); S(SYS_ioctl,l,LOOP_CTL_GET_FREE); S(SYS_ioctl,-1,LOOP_SET_FD,3); struct loop_info64 li; S(SYS_ioctl,-1,LOOP_GET_STATUS64,&li); S(SYS_ioctl,-1,LOOP_CLR_FD);
 S(SYS_ioctl,-1,EVIOCGVERSION,&n); struct input_id id; S(SYS_ioctl,-1,EVIOCGID,&id); char nm[64]; S(SYS_ioctl,-1,EVIOCGNAME(64),nm); S(SYS_ioctl,-1,EVIOCGBIT(EV_KEY,64),nm); S(SYS_ioctl,-1,EVIOCGRAB,1);
 int so=socket(AF_INET,SOCK_DGRAM,0); struct ifreq ifr={0}; strcpy(ifr.ifr_name,"lo"); S(SYS_ioctl,so,SIOCGIFFLAGS,&ifr); S(SYS_ioctl,so,SIOCGIFINDEX,&ifr); S(SYS_ioctl,so,SIOCGIFMTU,&ifr); S(SYS_ioctl,so,SIOCGIFADDR,&ifr);
 S(SYS_ioctl,so,SIOCGIFHWADDR,&ifr); ifr.ifr_ifindex=1; S(SYS_ioctl,so,SIOCGIFNAME,&ifr); struct ifconf ic={0}; S(SYS_ioctl,so,SIOCGIFCONF,&ic); S(SYS_ioctl,so,SIOCATMARK,&n); S(SYS_ioctl,so,SIOCGIFFLAGS,NULL);
 S(SYS_ioctl,so,FIONREAD,&n); S(SYS_ioctl,so,SIOCOUTQ,&n);
 S(SYS_ioctl,-1,0xffffffff,0); S(SYS_ioctl,f,_IOR(0xee,1,int),&n); S(SYS_ioctl,f,_IOW('T',0xff,long),BAD); S(SYS_ioctl,f,0,0);
 return 0;}
