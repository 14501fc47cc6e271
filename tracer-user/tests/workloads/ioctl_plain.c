/* ioctl requests the UAPI headers number by hand (loop, cdrom, hdreg, vt, kd, sockios) and
 * file and socket requests with struct arguments, with valid, NULL and unreadable arguments,
 * mostly on fd -1, on a UDP socket and on its own executable. */
#include <fcntl.h>
#include <linux/cdrom.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <linux/kd.h>
#include <linux/loop.h>
#include <linux/sockios.h>
#include <linux/vt.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    int n = 5, s = socket(AF_INET, SOCK_DGRAM, 0);
    int f = open("/proc/self/exe", O_RDONLY);
    void *bad = (void *)0x1000;
    struct ifreq ifr;
    struct fsxattr fsx = {0x80000003, 2, 3, 4, 5};

    /* loop */
    ioctl(-1, LOOP_SET_FD, 3);
    ioctl(-1, LOOP_SET_FD, -1);
    ioctl(-1, LOOP_CLR_FD, 1);
    ioctl(-1, LOOP_SET_STATUS, NULL);
    ioctl(-1, LOOP_GET_STATUS, bad);
    ioctl(-1, LOOP_SET_STATUS64, bad);
    ioctl(-1, LOOP_GET_STATUS64, NULL);
    ioctl(-1, LOOP_CHANGE_FD, 4);
    ioctl(-1, LOOP_SET_CAPACITY, 2);
    ioctl(-1, LOOP_SET_DIRECT_IO, 1);
    ioctl(-1, LOOP_SET_DIRECT_IO, -1L);
    ioctl(-1, LOOP_SET_BLOCK_SIZE, 4096);
    ioctl(-1, LOOP_SET_BLOCK_SIZE, -1L);
    ioctl(-1, LOOP_CONFIGURE, NULL);
    ioctl(-1, LOOP_CTL_ADD, 7);
    ioctl(-1, LOOP_CTL_ADD, -1L);
    ioctl(-1, LOOP_CTL_REMOVE, 7);
    ioctl(-1, LOOP_CTL_GET_FREE, 1);

    /* cdrom, hdreg, vt: names */
    ioctl(-1, CDROMEJECT, 0);
    ioctl(-1, CDROM_GET_CAPABILITY, 0);
    ioctl(-1, CDROM_LOCKDOOR, 1);
    ioctl(-1, DVD_READ_STRUCT, NULL);
    ioctl(-1, HDIO_GETGEO, NULL);
    ioctl(-1, HDIO_GETGEO, bad);
    ioctl(-1, HDIO_GET_32BIT, NULL);
    ioctl(-1, HDIO_GET_IDENTITY, bad);
    ioctl(-1, HDIO_SET_DMA, 1);
    ioctl(-1, HDIO_DRIVE_CMD, NULL);
    ioctl(-1, VT_OPENQRY, &n);
    ioctl(-1, VT_GETSTATE, NULL);
    ioctl(-1, VT_ACTIVATE, 1);
    ioctl(-1, VT_WAITACTIVE, 1);
    ioctl(-1, VT_SETACTIVATE, NULL);

    /* kd */
    ioctl(-1, KDGETLED, NULL);
    ioctl(-1, KDGETLED, &n);
    ioctl(-1, KDGKBTYPE, NULL);
    ioctl(-1, KDGETMODE, bad);
    ioctl(-1, KDGKBMODE, NULL);
    ioctl(-1, KDENABIO, 1);
    ioctl(-1, KDDISABIO, 1);
    ioctl(-1, KDMAPDISP, 1);
    ioctl(-1, KDUNMAPDISP, 1);
    ioctl(-1, PIO_FONTRESET, 1);
    ioctl(-1, GIO_FONT, NULL);
    ioctl(-1, PIO_FONT, bad);
    ioctl(-1, GIO_SCRNMAP, NULL);
    ioctl(-1, GIO_UNIMAP, NULL);
    ioctl(-1, KDGKBENT, NULL);
    ioctl(-1, KDFONTOP, NULL);
    ioctl(-1, KDSETMODE, KD_GRAPHICS);
    ioctl(-1, KDSETMODE, -1L);
    ioctl(-1, KDSKBMODE, K_UNICODE);
    ioctl(-1, KDSKBMODE, -1L);
    ioctl(-1, KDSKBMODE, 0x1000L);
    ioctl(-1, KDSKBMETA, K_METABIT);
    ioctl(-1, KDSKBMETA, 0);
    ioctl(-1, KDSKBMETA, -1L);
    ioctl(-1, KDSETLED, LED_NUM | LED_CAP);
    ioctl(-1, KDSETLED, -1L);
    ioctl(-1, KDSETLED, 0x1000L);
    ioctl(-1, HDIO_SET_BUSSTATE, BUSSTATE_TRISTATE);
    ioctl(-1, HDIO_SET_BUSSTATE, -1L);

    /* sockios */
    ioctl(-1, FIOSETOWN, NULL);
    ioctl(-1, FIOSETOWN, bad);
    ioctl(-1, SIOCSPGRP, NULL);
    ioctl(-1, FIOGETOWN, NULL);
    ioctl(-1, SIOCGPGRP, bad);
    ioctl(-1, SIOCATMARK, NULL);
    ioctl(-1, SIOCGSTAMP_OLD, NULL);
    ioctl(-1, SIOCGSTAMPNS_OLD, bad);
    n = 0;
    ioctl(s, FIOSETOWN, &n);
    ioctl(s, FIOGETOWN, &n);
    ioctl(s, SIOCGPGRP, &n);
    ioctl(s, SIOCATMARK, &n);

    /* files */
    ioctl(f, FS_IOC_FIEMAP, NULL);
    ioctl(-1, FS_IOC_FIEMAP, bad);
    ioctl(-1, FS_IOC_FSGETXATTR, NULL);
    ioctl(-1, FS_IOC_FSSETXATTR, bad);

    ioctl(f, FS_IOC_FSGETXATTR, &fsx);
    ioctl(-1, FS_IOC_FSGETXATTR, &fsx);
    fsx.fsx_xflags = 0x80000003;
    fsx.fsx_extsize = 2;
    fsx.fsx_projid = 4;
    fsx.fsx_cowextsize = 5;
    ioctl(-1, FS_IOC_FSSETXATTR, &fsx);
    fsx.fsx_xflags = 0x10000;
    ioctl(-1, FS_IOC_FSSETXATTR, &fsx);
    fsx.fsx_xflags = 0x40000;
    ioctl(-1, FS_IOC_FSSETXATTR, &fsx);
    ioctl(-1, FS_IOC_FSSETXATTR, (char *)&fsx + 8);

    /* interfaces: struct ifreq of lo, the answers only when the call succeeded */
    ioctl(-1, SIOCGIFINDEX, NULL);
    ioctl(-1, SIOCGIFNAME, bad);
    ioctl(-1, SIOCGIFCONF, NULL);
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    ioctl(s, SIOCGIFINDEX, &ifr);
    ioctl(s, SIOCGIFFLAGS, &ifr);
    ioctl(s, SIOCGIFMTU, &ifr);
    ioctl(s, SIOCGIFADDR, &ifr);
    ioctl(s, SIOCGIFNETMASK, &ifr);
    ioctl(s, SIOCGIFHWADDR, &ifr);
    ioctl(s, SIOCGIFTXQLEN, &ifr);
    ioctl(s, SIOCGIFMETRIC, &ifr);
    ioctl(s, SIOCGIFMAP, &ifr);
    ioctl(s, SIOCGIFBRDADDR, &ifr);
    ioctl(s, SIOCGIFDSTADDR, &ifr);
    strcpy(ifr.ifr_name, "nosuch0");
    ioctl(s, SIOCGIFINDEX, &ifr);
    ifr.ifr_ifindex = 1;
    ioctl(s, SIOCGIFNAME, &ifr);
    ioctl(-1, SIOCGIFNAME, &ifr);
    ioctl(-1, SIOCGIFINDEX, &ifr);
    ioctl(-1, SIOCGIFMTU, (char *)&ifr + 20);
    memset(&ifr, 'A', sizeof ifr);
    ioctl(-1, SIOCGIFINDEX, &ifr);
    ifr.ifr_flags = -1;
    ioctl(-1, SIOCSIFFLAGS, &ifr);
    ifr.ifr_flags = 0;
    ioctl(-1, SIOCSIFFLAGS, &ifr);
    strcpy(ifr.ifr_name, "x\1y");
    ifr.ifr_addr.sa_family = 1;
    ioctl(-1, SIOCSIFHWADDR, &ifr);
    ifr.ifr_addr.sa_family = 0x4242;
    ioctl(-1, SIOCSIFHWADDR, &ifr);
    ifr.ifr_addr.sa_family = AF_INET;
    ioctl(-1, SIOCSIFADDR, &ifr);
    ifr.ifr_mtu = -5;
    ioctl(-1, SIOCSIFMTU, &ifr);
    ioctl(-1, SIOCSIFNAME, &ifr);
    ioctl(-1, SIOCSIFMAP, &ifr);
    ioctl(-1, SIOCSIFTXQLEN, &ifr);
    ioctl(-1, SIOCSIFENCAP, &ifr);
    ioctl(-1, SIOCGIFENCAP, &ifr);
    ioctl(-1, SIOCOUTQNSD, NULL);
    close(f);
    close(s);
    return 0;
}
