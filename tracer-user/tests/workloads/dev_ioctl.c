/* Device ioctls as strace prints them (tests/root_decoders_dev.rs): requests strace names
 * by a macro of their size or number (HIDIOCGFEATURE(8), JSIOCGNAME(32), MIXER_WRITE(2) or
 * MEMERASE, ...), the SCSI generic and seccomp notification names, and the arguments of
 * userfaultfd, perf, nbd and kvm requests. Every call is made on fd -1 and on /dev/null (no
 * device is touched), the userfaultfd, perf and kvm ones also on a real fd where the
 * machine has one. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/hidraw.h>
#include <linux/kvm.h>
#include <linux/nbd.h>
#include <linux/perf_event.h>
#include <linux/joystick.h>
#include <linux/seccomp.h>
#include <linux/spi/spidev.h>
#include <linux/uinput.h>
#include <mtd/mtd-abi.h>
#include <scsi/sg.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/soundcard.h>
#include <sys/syscall.h>
#include <unistd.h>

/* An address nothing is mapped at, as strace's tests use. */
#define BAD 0xdeadbeef000UL

/* The requests whose name is their number's or size's macro, and the names strace's table
 * adds (scsi/sg.h's plain numbers, seccomp.h's SECCOMP_IOWR spelling). */
static void names(int fd)
{
	char buf[64];
	int v = 0;

	ioctl(fd, HIDIOCGRAWNAME(16), buf);
	ioctl(fd, HIDIOCGRAWPHYS(16), buf);
	ioctl(fd, HIDIOCGRAWUNIQ(8), buf);
	ioctl(fd, HIDIOCSFEATURE(8), buf);
	ioctl(fd, HIDIOCGFEATURE(8), buf);
	ioctl(fd, JSIOCGNAME(32), buf);
	ioctl(fd, UI_GET_SYSNAME(16), buf);
	ioctl(fd, SPI_IOC_MESSAGE(2), buf);
	ioctl(fd, MIXER_READ(0), buf);
	ioctl(fd, MEMGETINFO, buf);
	ioctl(fd, MEMGETREGIONCOUNT, buf);
	ioctl(fd, ECCGETSTATS, buf);
	ioctl(fd, SG_GET_VERSION_NUM, &v);
	ioctl(fd, SG_GET_RESERVED_SIZE, &v);
	ioctl(fd, SG_EMULATED_HOST, NULL);
	ioctl(fd, SG_SET_TIMEOUT, &v);
	ioctl(fd, SG_SET_RESERVED_SIZE, NULL);
	ioctl(fd, SG_SET_TRANSFORM, 5);
	ioctl(fd, SG_GET_TIMEOUT, 0);
	ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, BAD);
}

/* perf, nbd and kvm requests: flags, fds, values, ints read and written, a string. */
static void requests(int fd, int other)
{
	uint64_t period = 1000, id = 0;

	ioctl(fd, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	ioctl(fd, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP | 2);
	ioctl(fd, PERF_EVENT_IOC_REFRESH, -1);
	ioctl(fd, PERF_EVENT_IOC_PERIOD, &period);
	ioctl(fd, PERF_EVENT_IOC_PERIOD, NULL);
	ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, -1);
	ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, other);
	ioctl(fd, PERF_EVENT_IOC_SET_BPF, other);
	ioctl(fd, PERF_EVENT_IOC_PAUSE_OUTPUT, 1);
	ioctl(fd, PERF_EVENT_IOC_SET_FILTER, "common_pid == 1");
	ioctl(fd, PERF_EVENT_IOC_SET_FILTER, "a filter longer than strace's thirty-two bytes");
	ioctl(fd, PERF_EVENT_IOC_SET_FILTER, NULL);
	if (fd < 0)
		ioctl(fd, PERF_EVENT_IOC_ID, &id);
	ioctl(fd, NBD_DO_IT);
	ioctl(fd, NBD_CLEAR_SOCK);
	ioctl(fd, NBD_DISCONNECT);
	ioctl(fd, NBD_CLEAR_QUE);
	ioctl(fd, NBD_PRINT_DEBUG);
	ioctl(fd, NBD_SET_SOCK, other);
	ioctl(fd, NBD_SET_BLKSIZE, 4096);
	ioctl(fd, NBD_SET_SIZE, 1UL << 40);
	ioctl(fd, NBD_SET_SIZE_BLOCKS, 7);
	ioctl(fd, NBD_SET_TIMEOUT, 30);
	ioctl(fd, NBD_SET_FLAGS, NBD_FLAG_HAS_FLAGS | NBD_FLAG_READ_ONLY);
	ioctl(fd, NBD_SET_FLAGS, 0xffffffffUL);
	ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP);
	ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY);
	ioctl(fd, KVM_CHECK_EXTENSION, 0xfffffUL);
}

int main(void)
{
	int null = open("/dev/null", O_RDWR);
	struct perf_event_attr attr;
	int perf, kvm;

	names(-1);
	names(null);
	requests(-1, null);
	requests(null, null);
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_SW_TASK_CLOCK;
	attr.disabled = 1;
	perf = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (perf >= 0)
		requests(perf, null);
	kvm = open("/dev/kvm", O_RDWR);
	if (kvm >= 0)
		requests(kvm, null);
	return 0;
}
