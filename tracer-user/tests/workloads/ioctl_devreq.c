/* Device ioctls whose argument is a struct or a number the driver reads: mtd, ubi, lirc, ptp,
 * tee, seccomp notifications, gpio, counter and BLKPG, with zeroed, filled, NULL and unreadable
 * arguments, on fd -1 (EBADF) and on /dev/null (ENOTTY). No such device is needed: strace
 * decodes what the program passes whatever the call returns. Run in a scratch directory. */
#include <fcntl.h>
#include <linux/blkpg.h>
#include <linux/counter.h>
#include <linux/fs.h>
#include <linux/gpio.h>
#include <linux/lirc.h>
#include <linux/ptp_clock.h>
#include <linux/seccomp.h>
#include <linux/tee.h>
#include <mtd/mtd-user.h>
#include <mtd/ubi-user.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Every request with its argument at `p`, on fd `f`. */
static void all(int f, void *p) {
    ioctl(f, MEMERASE, p);
    ioctl(f, MEMERASE64, p);
    ioctl(f, MEMLOCK, p);
    ioctl(f, MEMUNLOCK, p);
    ioctl(f, MEMGETBADBLOCK, p);
    ioctl(f, MEMSETBADBLOCK, p);
    ioctl(f, OTPSELECT, p);
    ioctl(f, UBI_IOCMKVOL, p);
    ioctl(f, UBI_IOCRMVOL, p);
    ioctl(f, UBI_IOCRSVOL, p);
    ioctl(f, UBI_IOCATT, p);
    ioctl(f, UBI_IOCDET, p);
    ioctl(f, UBI_IOCVOLUP, p);
    ioctl(f, UBI_IOCEBMAP, p);
    ioctl(f, UBI_IOCEBER, p);
    ioctl(f, UBI_IOCEBUNMAP, p);
    ioctl(f, LIRC_SET_SEND_MODE, p);
    ioctl(f, LIRC_SET_REC_MODE, p);
    ioctl(f, LIRC_SET_REC_TIMEOUT, p);
    ioctl(f, LIRC_SET_SEND_CARRIER, p);
    ioctl(f, LIRC_SET_TRANSMITTER_MASK, p);
    ioctl(f, PTP_EXTTS_REQUEST, p);
    ioctl(f, PTP_EXTTS_REQUEST2, p);
    ioctl(f, PTP_PEROUT_REQUEST, p);
    ioctl(f, PTP_PEROUT_REQUEST2, p);
    ioctl(f, PTP_SYS_OFFSET, p);
    ioctl(f, TEE_IOC_SHM_ALLOC, p);
    ioctl(f, TEE_IOC_OPEN_SESSION, p);
    ioctl(f, TEE_IOC_INVOKE, p);
    ioctl(f, TEE_IOC_CANCEL, p);
    ioctl(f, TEE_IOC_CLOSE_SESSION, p);
    ioctl(f, SECCOMP_IOCTL_NOTIF_SEND, p);
    ioctl(f, SECCOMP_IOCTL_NOTIF_ID_VALID, p);
    ioctl(f, SECCOMP_IOCTL_NOTIF_ADDFD, p);
    ioctl(f, GPIO_GET_LINEHANDLE_IOCTL, p);
    ioctl(f, GPIO_GET_LINEEVENT_IOCTL, p);
    ioctl(f, GPIO_GET_LINEINFO_IOCTL, p);
    ioctl(f, COUNTER_ADD_WATCH_IOCTL, p);
    ioctl(f, BLKPG, p);
}

int main(void) {
    int null = open("/dev/null", O_RDONLY);
    void *bad = (void *)0x1000;
    /* Large enough for every struct read here (gpiohandle_request, 364 bytes). */
    static union {
        uint8_t bytes[1024];
        uint32_t words[256];
        uint64_t quads[128];
    } z, v;

    all(-1, &z);
    all(null, &z);
    all(-1, NULL);
    all(-1, bad);

    /* Values: known and unknown names, flags with bits no name gives. */
    memset(&v, 0, sizeof v);
    v.quads[0] = 0x1000;
    v.quads[1] = 0x2000;
    ioctl(-1, MEMERASE64, &v);
    v.words[0] = 0x10000;
    v.words[1] = 0x800;
    ioctl(-1, MEMERASE, &v);
    v.words[0] = 2;
    ioctl(-1, OTPSELECT, &v);
    v.words[0] = 7;
    ioctl(-1, OTPSELECT, &v);
    ioctl(-1, MTDFILEMODE, 0);
    ioctl(-1, MTDFILEMODE, 1);
    ioctl(-1, MTDFILEMODE, 3);
    ioctl(-1, MTDFILEMODE, 9);
    v.quads[0] = -2;
    ioctl(-1, MEMGETBADBLOCK, &v);
    ioctl(-1, UBI_IOCVOLUP, &v);
    ioctl(-1, SECCOMP_IOCTL_NOTIF_ID_VALID, &v);

    struct ubi_mkvol_req mk;
    memset(&mk, 0, sizeof mk);
    mk.vol_id = -1;
    mk.alignment = 4;
    mk.bytes = 1 << 20;
    mk.vol_type = UBI_DYNAMIC_VOLUME;
    mk.flags = UBI_VOL_SKIP_CRC_CHECK_FLG | 0x10;
    mk.name_len = 3;
    strcpy(mk.name, "vol");
    ioctl(-1, UBI_IOCMKVOL, &mk);
    mk.vol_type = UBI_STATIC_VOLUME;
    mk.flags = 0x20;
    mk.name_len = 200;
    memset(mk.name, 'x', sizeof mk.name);
    ioctl(-1, UBI_IOCMKVOL, &mk);
    mk.name_len = -1;
    ioctl(-1, UBI_IOCMKVOL, &mk);

    struct ubi_rsvol_req rs = {.bytes = -5, .vol_id = 3};
    ioctl(-1, UBI_IOCRSVOL, &rs);
    struct ubi_attach_req at = {.ubi_num = -1, .mtd_num = 2, .vid_hdr_offset = 512,
                                .max_beb_per1024 = 20};
    ioctl(-1, UBI_IOCATT, &at);
    struct ubi_map_req map = {.lnum = 5, .dtype = 1};
    ioctl(-1, UBI_IOCEBMAP, &map);
    map.dtype = 3;
    ioctl(-1, UBI_IOCEBMAP, &map);
    map.dtype = 9;
    ioctl(-1, UBI_IOCEBMAP, &map);

    for (uint32_t m = 0; m < 0x20; m = m ? m << 1 : 1) {
        v.words[0] = m;
        ioctl(-1, LIRC_SET_SEND_MODE, &v);
    }
    v.words[0] = 0xdeadbeef;
    ioctl(-1, LIRC_SET_REC_TIMEOUT, &v);
    ioctl(-1, LIRC_SET_TRANSMITTER_MASK, &v);

    struct ptp_extts_request ext = {.index = 2, .flags = PTP_ENABLE_FEATURE | PTP_RISING_EDGE |
                                                         0x100};
    ioctl(-1, PTP_EXTTS_REQUEST, &ext);
    ext.rsv[1] = 7;
    ioctl(-1, PTP_EXTTS_REQUEST2, &ext);
    struct ptp_perout_request per;
    memset(&per, 0, sizeof per);
    per.start.sec = -1;
    per.start.nsec = 500;
    per.period.sec = 1;
    per.period.nsec = 3;
    per.index = 1;
    per.flags = PTP_PEROUT_ONE_SHOT | 0x40;
    ioctl(-1, PTP_PEROUT_REQUEST, &per);
    per.flags = PTP_PEROUT_DUTY_CYCLE;
    per.on.sec = 4;
    ioctl(-1, PTP_PEROUT_REQUEST2, &per);
    per.flags = PTP_PEROUT_PHASE;
    per.start.reserved = 1;
    ioctl(-1, PTP_PEROUT_REQUEST2, &per);
    per.flags = 0;
    per.rsv[0] = 5;
    ioctl(-1, PTP_PEROUT_REQUEST2, &per);
    v.words[0] = 25;
    v.words[2] = 1;
    ioctl(-1, PTP_SYS_OFFSET, &v);

    struct tee_ioctl_shm_alloc_data sa = {.size = 0x1000, .flags = 3, .id = 4};
    ioctl(-1, TEE_IOC_SHM_ALLOC, &sa);
    struct tee_ioctl_cancel_arg ca = {.cancel_id = 7, .session = 0x10};
    ioctl(-1, TEE_IOC_CANCEL, &ca);
    struct tee_ioctl_close_session_arg cs = {.session = 0xab};
    ioctl(-1, TEE_IOC_CLOSE_SESSION, &cs);
    struct tee_ioctl_buf_data bd = {.buf_ptr = 0x1000, .buf_len = 8};
    ioctl(-1, TEE_IOC_OPEN_SESSION, &bd);
    ioctl(-1, TEE_IOC_INVOKE, &bd);

    struct seccomp_notif_resp resp = {.id = 0x1234, .val = -3, .error = -1, .flags = 1};
    ioctl(-1, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    resp.error = 0;
    resp.flags = 6;
    ioctl(-1, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    struct seccomp_notif_addfd af = {.id = 9, .flags = SECCOMP_ADDFD_FLAG_SETFD | 0x8,
                                     .srcfd = null, .newfd = 7, .newfd_flags = O_CLOEXEC};
    ioctl(-1, SECCOMP_IOCTL_NOTIF_ADDFD, &af);

    struct gpiohandle_request hr;
    memset(&hr, 0, sizeof hr);
    hr.lines = 3;
    hr.lineoffsets[0] = 1;
    hr.lineoffsets[1] = 2;
    hr.lineoffsets[2] = 3;
    hr.flags = GPIOHANDLE_REQUEST_OUTPUT | GPIOHANDLE_REQUEST_ACTIVE_LOW | 0x1000;
    hr.default_values[1] = 1;
    strcpy(hr.consumer_label, "tracer");
    ioctl(-1, GPIO_GET_LINEHANDLE_IOCTL, &hr);
    hr.lines = 70;
    ioctl(-1, GPIO_GET_LINEHANDLE_IOCTL, &hr);
    struct gpioevent_request er = {.lineoffset = 4, .handleflags = GPIOHANDLE_REQUEST_INPUT,
                                   .eventflags = GPIOEVENT_REQUEST_BOTH_EDGES};
    strcpy(er.consumer_label, "ev");
    ioctl(-1, GPIO_GET_LINEEVENT_IOCTL, &er);
    er.eventflags = 0x10;
    ioctl(-1, GPIO_GET_LINEEVENT_IOCTL, &er);
    struct gpioline_info li = {.line_offset = 6};
    ioctl(-1, GPIO_GET_LINEINFO_IOCTL, &li);

    struct counter_watch w = {.component = {.type = COUNTER_COMPONENT_SIGNAL,
                                            .scope = COUNTER_SCOPE_COUNT, .parent = 2, .id = 3},
                              .event = COUNTER_EVENT_CAPTURE, .channel = 1};
    ioctl(-1, COUNTER_ADD_WATCH_IOCTL, &w);
    w.component.type = 99;
    w.component.scope = 99;
    w.event = 99;
    ioctl(-1, COUNTER_ADD_WATCH_IOCTL, &w);
    ioctl(-1, COUNTER_ENABLE_EVENTS_IOCTL);
    ioctl(-1, COUNTER_DISABLE_EVENTS_IOCTL);

    /* The partition behind a non-NULL data pointer is not captured yet (its address is
     * printed): only NULL ones here. */
    struct blkpg_ioctl_arg bp = {.op = BLKPG_ADD_PARTITION, .datalen = 152, .data = NULL};
    ioctl(-1, BLKPG, &bp);
    bp.op = BLKPG_DEL_PARTITION;
    bp.flags = 1;
    ioctl(-1, BLKPG, &bp);
    bp.op = 9;
    ioctl(-1, BLKPG, &bp);
    bp.op = BLKPG_RESIZE_PARTITION;
    bp.datalen = -8;
    ioctl(-1, BLKPG, &bp);
    close(null);
    return 0;
}
