/* ioctl requests whose argument is a struct larger than the common capture (loop_info,
 * loop_info64, loop_config), hd_geometry, fiemap before and after, block.c's ranges, numbers
 * and blktrace setup, and the per-request forms of kd_ioctl.c, hdio.c and sock.c (tones, LED
 * sets, IDE_NICE_*, signals, ports, key codes, colour and screen maps, bridge names), with
 * valid, NULL and unreadable arguments, on fd -1 and on its own executable. */
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/blktrace_api.h>
#include <linux/blkzoned.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <linux/kd.h>
#include <linux/loop.h>
#include <linux/sockios.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void) {
    int f = open("/proc/self/exe", O_RDONLY);
    void *bad = (void *)0x1000;
    struct loop_info li;
    struct loop_info64 li64;
    struct loop_config lc;
    struct hd_geometry geo = {4, 63, 1024, 0};
    unsigned long long range[2] = {4096, 1ULL << 40};
    unsigned short u16 = 3;
    int n = 7;
    struct blk_user_trace_setup buts = {"trace", 0xffff, 512, 4, 1, 0xfffff, 1};
    struct kbd_repeat rep = {250, 33};
    struct kbkeycode kc = {0x1e, 30};
    struct unimapinit umi = {1, 2, 3};
    unsigned char cmap[48], scr[256];
    struct fiemap *fm = calloc(1, sizeof(*fm) + 2 * sizeof(struct fiemap_extent));

    memset(cmap, 1, sizeof(cmap));
    memset(scr, 2, sizeof(scr));
    memset(&li, 0, sizeof(li));
    li.lo_number = 3;
    li.lo_offset = 0x200;
    li.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
    strcpy(li.lo_name, "/tmp/img");
    ioctl(-1, LOOP_SET_STATUS, &li);
    ioctl(-1, LOOP_GET_STATUS, &li);
    li.lo_encrypt_type = LO_CRYPT_XOR;
    li.lo_encrypt_key_size = 4;
    memcpy(li.lo_encrypt_key, "abcd", 4);
    ioctl(-1, LOOP_SET_STATUS, &li);
    li.lo_encrypt_type = 77;
    li.lo_flags = 0x80;
    ioctl(-1, LOOP_SET_STATUS, &li);

    memset(&li64, 0, sizeof(li64));
    li64.lo_offset = 0x1000;
    li64.lo_sizelimit = 4096;
    li64.lo_number = 2;
    li64.lo_flags = LO_FLAGS_PARTSCAN | LO_FLAGS_DIRECT_IO;
    strcpy((char *)li64.lo_file_name, "/tmp/disk.img");
    ioctl(-1, LOOP_SET_STATUS64, &li64);
    ioctl(-1, LOOP_GET_STATUS64, &li64);
    li64.lo_encrypt_type = LO_CRYPT_NONE + 1;
    li64.lo_encrypt_key_size = 3;
    strcpy((char *)li64.lo_crypt_name, "xor");
    memcpy(li64.lo_encrypt_key, "key", 3);
    ioctl(-1, LOOP_SET_STATUS64, &li64);
    ioctl(-1, LOOP_SET_STATUS64, (char *)bad);

    memset(&lc, 0, sizeof(lc));
    lc.fd = 5;
    lc.block_size = 4096;
    lc.info = li64;
    lc.info.lo_encrypt_type = 0;
    ioctl(-1, LOOP_CONFIGURE, &lc);
    lc.__reserved[1] = 0xdead;
    ioctl(-1, LOOP_CONFIGURE, &lc);
    ioctl(-1, LOOP_CONFIGURE, bad);

    /* hdio */
    ioctl(-1, HDIO_GETGEO, &geo);
    ioctl(f, HDIO_GETGEO, &geo);
    ioctl(-1, HDIO_SET_NICE, 0);
    ioctl(-1, HDIO_SET_NICE, 1 << IDE_NICE_DSC_OVERLAP);
    ioctl(-1, HDIO_SET_NICE, (1 << IDE_NICE_1) | (1 << IDE_NICE_0) | 0x100);

    /* kd */
    ioctl(-1, KIOCSOUND, 0);
    ioctl(-1, KIOCSOUND, 4096);
    ioctl(-1, KIOCSOUND, 0x12345678);
    ioctl(-1, KDMKTONE, 0);
    ioctl(-1, KDMKTONE, (100 << 16) | 4096);
    ioctl(-1, KDMKTONE, 0xffffffffL);
    ioctl(-1, KDSKBLED, 0);
    ioctl(-1, KDSKBLED, LED_NUM | (LED_CAP << 4));
    ioctl(-1, KDSKBLED, 0xff);
    ioctl(-1, KDSIGACCEPT, SIGUSR1);
    ioctl(-1, KDSIGACCEPT, 0x7fffffffL);
    ioctl(-1, KDADDIO, 0x3b4);
    ioctl(-1, KDDELIO, 0x10);
    ioctl(-1, KDKBDREP, &rep);
    ioctl(-1, KDKBDREP, bad);
    ioctl(-1, KDSETKEYCODE, &kc);
    ioctl(-1, KDGETKEYCODE, &kc);
    ioctl(-1, PIO_UNIMAPCLR, &umi);
    ioctl(-1, PIO_CMAP, cmap);
    ioctl(-1, GIO_CMAP, cmap);
    ioctl(-1, PIO_SCRNMAP, scr);
    ioctl(-1, PIO_SCRNMAP, NULL);
    ioctl(-1, SIOCBRADDBR, "br0");
    ioctl(-1, SIOCBRDELBR, "a-bridge-name-longer-than-thirty-two-bytes");

    /* block */
    ioctl(-1, BLKDISCARD, range);
    ioctl(-1, BLKSECDISCARD, range);
    ioctl(-1, BLKZEROOUT, range);
    ioctl(-1, BLKZEROOUT, bad);
    ioctl(-1, BLKSECTGET, &u16);
    ioctl(-1, BLKROTATIONAL, NULL);
    ioctl(-1, BLKALIGNOFF, &n);
    ioctl(-1, BLKIOMIN, &n);
    ioctl(-1, BLKIOOPT, &n);
    ioctl(-1, BLKDISCARDZEROES, &n);
    ioctl(-1, BLKGETZONESZ, &n);
    ioctl(-1, BLKGETNRZONES, &n);
    ioctl(-1, BLKTRACESETUP, &buts);
    ioctl(-1, BLKTRACESETUP, bad);
    ioctl(-1, BLKTRACESTART, 1);
    ioctl(-1, BLKTRACESTOP, 1);
    ioctl(-1, BLKTRACETEARDOWN, 1);

    /* fiemap */
    fm->fm_start = 0;
    fm->fm_length = ~0ULL;
    fm->fm_flags = FIEMAP_FLAG_SYNC;
    fm->fm_extent_count = 0;
    ioctl(f, FS_IOC_FIEMAP, fm);
    fm->fm_extent_count = 2;
    ioctl(f, FS_IOC_FIEMAP, fm);
    fm->fm_flags = 0x80;
    ioctl(f, FS_IOC_FIEMAP, fm);
    ioctl(-1, FS_IOC_FIEMAP, fm);
    ioctl(-1, FS_IOC_FIEMAP, bad);
    return 0;
}
