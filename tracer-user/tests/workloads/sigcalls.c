/* Signal calls with valid, invalid and NULL arguments (tests/root_decoders.rs
 * root_signal_calls_as_strace): rt_sigtimedwait, rt_sigqueueinfo, rt_tgsigqueueinfo, sigsets of
 * sizes other than 8 (rt_sigprocmask, rt_sigpending, rt_sigsuspend, rt_sigaction),
 * sigaltstack's flags. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	uint64_t set = 1UL << (SIGUSR1 - 1), big[2] = { set, 0 }, old = 0;
	siginfo_t info;
	struct timespec ts = { 0, 1000 };
	stack_t ss = { 0 }, oss;
	static char stack[1 << 16];
	int pid = getpid();

	/* rt_sigtimedwait: a signal pending (its number and siginfo), a timeout, NULL, a size
	 * other than 8. */
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, 8);
	syscall(SYS_tgkill, pid, pid, SIGUSR1);
	syscall(SYS_rt_sigtimedwait, &set, &info, &ts, 8);
	syscall(SYS_rt_sigtimedwait, &set, &info, &ts, 8);
	syscall(SYS_rt_sigtimedwait, &set, NULL, NULL, 16);
	syscall(SYS_rt_sigtimedwait, NULL, NULL, &ts, 8);
	syscall(SYS_rt_sigtimedwait, &set, 0x10UL, 0x20UL, 8);

	/* rt_sigqueueinfo, rt_tgsigqueueinfo: a siginfo queued to self, NULL, a bad signal. */
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGUSR1;
	info.si_code = SI_QUEUE;
	info.si_pid = pid;
	info.si_uid = getuid();
	info.si_value.sival_int = 42;
	syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &info);
	syscall(SYS_rt_sigtimedwait, &set, &info, NULL, 8);
	syscall(SYS_rt_tgsigqueueinfo, pid, pid, SIGUSR1, &info);
	syscall(SYS_rt_sigtimedwait, &set, NULL, NULL, 8);
	syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, NULL);
	syscall(SYS_rt_tgsigqueueinfo, -1, -1, 99, 0x10UL);
	syscall(SYS_rt_sigqueueinfo, -1, SIGRTMIN + 1, &info);

	/* Sigsets of other sizes: their addresses. */
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, big, &old, 16);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 4);
	syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, NULL, big, 8);
	syscall(SYS_rt_sigpending, &old, 8);
	syscall(SYS_rt_sigpending, &old, 16);
	syscall(SYS_rt_sigpending, NULL, 8);
	syscall(SYS_rt_sigsuspend, big, 16);
	syscall(SYS_rt_sigsuspend, NULL, 8);
	syscall(SYS_rt_sigaction, SIGUSR2, NULL, NULL, 16);

	/* sigaltstack: a stack with SS_AUTODISARM, the old one, a bad flag, disabling it. */
	ss.ss_sp = stack;
	ss.ss_size = sizeof(stack);
	ss.ss_flags = 1U << 31; /* SS_AUTODISARM */
	syscall(SYS_sigaltstack, &ss, &oss);
	syscall(SYS_sigaltstack, NULL, &oss);
	ss.ss_flags = 0x1234;
	syscall(SYS_sigaltstack, &ss, NULL);
	ss.ss_flags = SS_DISABLE;
	syscall(SYS_sigaltstack, &ss, &oss);
	syscall(SYS_sigaltstack, 0x10UL, 0x20UL);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
	return 0;
}
