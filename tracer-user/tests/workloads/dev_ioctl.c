/* Device ioctls as strace prints them (tests/root_decoders_dev.rs): requests strace names
 * by a macro of their size or number (HIDIOCGFEATURE(8), JSIOCGNAME(32), MIXER_WRITE(2) or
 * MEMERASE, ...), the SCSI generic and seccomp notification names, and the arguments of
 * userfaultfd, perf, nbd and kvm requests. Every call is made on fd -1 and on /dev/null (no
 * device is touched), the userfaultfd, perf and kvm ones also on a real fd where the
 * machine has one. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/hidraw.h>
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

int main(void)
{
	int null = open("/dev/null", O_RDWR);

	names(-1);
	names(null);
	return 0;
}
