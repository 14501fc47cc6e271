/* Fidelity workload c-broad-time (issue 19's broad corpus, cargo xtask fidelity): clocks,
 * POSIX timers, itimers, alarm, adjtimex (not the clock itself: time and times left out), with
 * valid, invalid and NULL arguments. */
#include "common.h"
#include <time.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <signal.h>
int main(){
 struct timespec ts; struct timeval tv; struct itimerval it={{0,0},{0,0}},oit;
 S(SYS_clock_gettime,CLOCK_MONOTONIC,&ts); S(SYS_clock_gettime,CLOCK_BOOTTIME,NULL); S(SYS_clock_gettime,0xffffffff,&ts);
 S(SYS_clock_getres,CLOCK_REALTIME_COARSE,&ts); S(SYS_clock_getres,CLOCK_TAI,NULL); S(SYS_clock_getres,-6,&ts);
 S(SYS_clock_settime,CLOCK_MONOTONIC,&ts); S(SYS_clock_settime,CLOCK_REALTIME,NULL);
 struct timespec sl={0,1000}; S(SYS_clock_nanosleep,CLOCK_MONOTONIC,0,&sl,NULL); S(SYS_clock_nanosleep,CLOCK_REALTIME,TIMER_ABSTIME,BAD,NULL);
 S(SYS_clock_nanosleep,0xffffffff,0xffffffff,&sl,&ts);
 S(SYS_nanosleep,&sl,NULL); struct timespec bad={-1,-1}; S(SYS_nanosleep,&bad,NULL); S(SYS_nanosleep,NULL,NULL);
 S(SYS_gettimeofday,&tv,NULL); S(SYS_gettimeofday,NULL,NULL); S(SYS_settimeofday,BAD,BAD);
 S(SYS_getitimer,ITIMER_REAL,&oit); S(SYS_setitimer,ITIMER_VIRTUAL,&it,&oit); S(SYS_setitimer,0xff,NULL,NULL);
 S(SYS_alarm,0); S(SYS_alarm,0xffffffff); S(SYS_alarm,0);
 struct sigevent se={0}; se.sigev_notify=SIGEV_SIGNAL; se.sigev_signo=SIGUSR1; se.sigev_value.sival_int=7;
 timer_t t; S(SYS_timer_create,CLOCK_MONOTONIC,&se,&t); S(SYS_timer_create,0xff,NULL,NULL);
 se.sigev_notify=SIGEV_NONE; timer_t t2; S(SYS_timer_create,CLOCK_REALTIME,&se,&t2);
 struct itimerspec its={{1,0},{5,0}},oits; S(SYS_timer_settime,t,0,&its,&oits); S(SYS_timer_gettime,t,&oits);
 S(SYS_timer_settime,t,TIMER_ABSTIME,NULL,NULL); S(SYS_timer_getoverrun,t); S(SYS_timer_delete,t); S(SYS_timer_delete,-1);
 struct timex tx={0}; S(SYS_adjtimex,&tx); S(SYS_clock_adjtime,CLOCK_REALTIME,&tx); S(SYS_clock_adjtime,0xff,NULL);
 return 0;}
