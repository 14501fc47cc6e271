/* adjtimex, clock_adjtime and the aio calls with valid, invalid and NULL arguments
 * (tests/root_decoders.rs root_timex_aio_as_strace), after strace's own tests adjtimex.c,
 * clock_adjtime.c and aio.c. Nothing here changes the clock: every call that would set
 * something is refused by the kernel (a tick out of range, ADJ_ADJTIME without its offset). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	struct timex tx;
	/* A page followed by an unmapped one: the tail of it is a pointer that cannot be read
	 * whole. */
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(page + 4096, 4096, PROT_NONE);
	char *tail = page + 4096 - 8;
	memset(page, 0, 4096);

	/* adjtimex: NULL, an address not all readable, a read (= 5 (TIME_ERROR) or whatever the
	 * clock's state is), modes the kernel refuses (the struct as its address). */
	syscall(SYS_adjtimex, NULL);
	syscall(SYS_adjtimex, tail);
	memset(&tx, 0, sizeof(tx));
	syscall(SYS_adjtimex, &tx);
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_OFFSET_SS_READ;
	syscall(SYS_adjtimex, &tx);
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_TICK;
	tx.tick = 1;
	syscall(SYS_adjtimex, &tx);
	memset(&tx, 0, sizeof(tx));
	tx.modes = 0x8000; /* ADJ_ADJTIME without ADJ_OFFSET: EINVAL */
	syscall(SYS_adjtimex, &tx);

	/* clock_adjtime: clocks by name, a dynamic (fd) clock, a CPU clock, an unknown id. */
	memset(&tx, 0, sizeof(tx));
	syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
	syscall(SYS_clock_adjtime, CLOCK_REALTIME, NULL);
	syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, &tx);
	syscall(SYS_clock_adjtime, CLOCK_TAI, tail);
	syscall(SYS_clock_adjtime, ((~3) << 3) | 3, &tx); /* FD_TO_CLOCKID(3) */
	syscall(SYS_clock_adjtime, ((~0) << 3) | 2, &tx); /* MAKE_PROCESS_CPUCLOCK(0, SCHED) */
	syscall(SYS_clock_adjtime, 99, &tx);
	tx.modes = 0x8000;
	syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);

	/* aio: a context, reads submitted and reaped, invalid contexts and pointers. */
	int fd = open("/dev/zero", O_RDONLY);
	aio_context_t ctx = 0;
	char buf0[16], buf1[32];
	struct iocb cb[2], cbc, odd[3];
	struct iocb *cbs[2] = { &cb[0], &cb[1] };
	struct iocb *odds[5] = { &odd[0], &odd[1], &odd[2], NULL, (struct iocb *)tail };
	struct io_event ev[4];
	struct timespec ts = { 0, 123456789 };
	uint64_t mask = 1UL << (SIGUSR1 - 1);
	struct { const uint64_t *ss; size_t ss_len; } sig = { &mask, 8 };

	memset(cb, 0, sizeof(cb));
	cb[0].aio_data = 0xfeedface11111111ULL;
	cb[0].aio_lio_opcode = IOCB_CMD_PREAD;
	cb[0].aio_reqprio = 0;
	cb[0].aio_fildes = fd;
	cb[0].aio_buf = (uintptr_t)buf0;
	cb[0].aio_nbytes = sizeof(buf0);
	cb[0].aio_offset = 0;
	cb[1] = cb[0];
	cb[1].aio_data = 0xfeedface22222222ULL;
	cb[1].aio_buf = (uintptr_t)buf1;
	cb[1].aio_nbytes = sizeof(buf1);
	cb[1].aio_offset = 4096;

	syscall(SYS_io_setup, 0xdeadbeef, NULL);
	syscall(SYS_io_setup, 2, tail + 4);
	syscall(SYS_io_setup, 4, &ctx);
	syscall(SYS_io_submit, 0xface1e55deadbeefUL, -1L, NULL);
	syscall(SYS_io_submit, ctx, 2L, tail + 8);
	syscall(SYS_io_submit, ctx, 2L, cbs);
	syscall(SYS_io_getevents, ctx, 2L, 4L, ev, &ts);
	syscall(SYS_io_getevents, 0xface1e55deadbeefUL, 1L, 2L, ev, NULL);
	syscall(SYS_io_getevents, ctx, 0L, 1L, NULL, tail);

	/* A write with a string, fsync (no buffer), an unknown opcode, a NULL entry and one
	 * that cannot be read. */
	memset(odd, 0, sizeof(odd));
	odd[0].aio_data = 1;
	odd[0].aio_lio_opcode = IOCB_CMD_PWRITE;
	odd[0].aio_reqprio = -3;
	odd[0].aio_fildes = -1;
	char hello[] = "hello";
	odd[0].aio_buf = (uintptr_t)hello;
	odd[0].aio_nbytes = 5;
	odd[0].aio_offset = -1;
	odd[1].aio_lio_opcode = IOCB_CMD_FSYNC;
	odd[1].aio_fildes = fd;
	odd[2].aio_lio_opcode = 0x4d;
	odd[2].aio_fildes = 7;
	syscall(SYS_io_submit, ctx, 5L, odds);

	memset(&cbc, 0, sizeof(cbc));
	cbc.aio_data = 0xdeadbeefbadc0dedULL;
	cbc.aio_reqprio = 99;
	cbc.aio_fildes = -42;
	syscall(SYS_io_cancel, 0xface1e55deadbeefUL, NULL, NULL);
	syscall(SYS_io_cancel, ctx, &cbc, ev);
	syscall(SYS_io_cancel, ctx, tail, ev);

	syscall(SYS_io_submit, ctx, 1L, cbs);
	syscall(SYS_io_pgetevents, ctx, 1L, 2L, ev, &ts, &sig);
	syscall(SYS_io_pgetevents, ctx, 0L, 2L, ev, &ts, NULL);
	syscall(SYS_io_pgetevents, 0xface1e55deadbeefUL, 1L, 1L, NULL, NULL, tail);

	syscall(SYS_io_destroy, 0xface1e55deadbeefUL);
	syscall(SYS_io_destroy, ctx);
	close(fd);
	return 0;
}
