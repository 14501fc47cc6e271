/* Fidelity workload c-broad-fdnotify (issue 19's broad corpus, cargo xtask fidelity): eventfd,
 * timerfd, inotify, fanotify, memfd (the events themselves left unread: /tmp is shared), with
 * valid, invalid and NULL arguments. */
#include "common.h"
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/inotify.h>
#include <sys/fanotify.h>
#include <signal.h>
#include <sys/mman.h>
int main(){
 int e=S(SYS_eventfd2,5,EFD_CLOEXEC|EFD_NONBLOCK|EFD_SEMAPHORE); S(SYS_eventfd2,0,0xffffffff); S(SYS_eventfd,0);
 uint64_t v=3; write(e,&v,8); read(e,&v,8);
 int t=S(SYS_timerfd_create,CLOCK_MONOTONIC,TFD_CLOEXEC); S(SYS_timerfd_create,0xff,0xffffffff);
 struct itimerspec its={{0,1000},{1,0}},o; S(SYS_timerfd_settime,t,TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET,&its,&o);
 S(SYS_timerfd_settime,t,0,&its,NULL); S(SYS_timerfd_gettime,t,&o); S(SYS_timerfd_settime,-1,0xff,NULL,BAD); S(SYS_timerfd_gettime,t,NULL);
 int i=S(SYS_inotify_init1,IN_NONBLOCK|IN_CLOEXEC); S(SYS_inotify_init1,0xffffffff); S(SYS_inotify_init);
 int w=S(SYS_inotify_add_watch,i,"/tmp",IN_CREATE|IN_DELETE|IN_MODIFY|IN_ONLYDIR|IN_MASK_ADD);
 S(SYS_inotify_add_watch,i,NULL,0xffffffff); S(SYS_inotify_add_watch,-1,"/nonexistent",IN_ALL_EVENTS);
 close(open("/tmp/tracer-broad-ino",O_CREAT|O_WRONLY,0600)); unlink("/tmp/tracer-broad-ino");
 S(SYS_inotify_rm_watch,i,w); S(SYS_inotify_rm_watch,i,0xffffffff);
 int f=S(SYS_fanotify_init,FAN_CLASS_NOTIF|FAN_CLOEXEC|FAN_NONBLOCK|FAN_REPORT_FID,O_RDONLY|O_LARGEFILE);
 S(SYS_fanotify_init,0xffffffff,0xffffffff);
 S(SYS_fanotify_mark,f,FAN_MARK_ADD|FAN_MARK_ONLYDIR,FAN_CREATE|FAN_ONDIR|FAN_EVENT_ON_CHILD,AT_FDCWD,"/tmp");
 S(SYS_fanotify_mark,f,0xffffffff,0xffffffffffffffffULL,-1,NULL); S(SYS_fanotify_mark,-1,FAN_MARK_REMOVE,FAN_OPEN,-100,BAD);
 close(open("/tmp/tracer-broad-fan",O_CREAT|O_WRONLY,0600)); unlink("/tmp/tracer-broad-fan");
 sigset_t s; sigemptyset(&s); sigaddset(&s,SIGHUP); S(SYS_signalfd4,-1,&s,8,02000000);
 S(SYS_userfaultfd,0xffffffff); S(SYS_memfd_create,"t9mem",MFD_CLOEXEC|MFD_ALLOW_SEALING); S(SYS_memfd_create,NULL,0xffffffff);
 S(SYS_memfd_secret,0xff);
 return 0;}
