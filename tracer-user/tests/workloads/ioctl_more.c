/* userfaultfd, kvm, file and btrfs ioctls with valid, invalid, NULL and unreadable arguments,
 * on real fds (a userfaultfd, /dev/kvm's VM and vCPU, a file) and on fd -1. Run in a scratch
 * directory. Nothing here changes a filesystem's label or state: those requests go to fd -1
 * or fail on a plain file. */
#include <fcntl.h>
#include <signal.h>
#include <linux/btrfs.h>
#include <linux/dm-ioctl.h>
#include <linux/fs.h>
#include <linux/kvm.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>
#include <linux/videodev2.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define INOTIFY_IOC_SETNEXTWD _IOW('I', 0, int)

/* The features this kernel's UFFDIO_API offers, asked in an untraced child: asking for
 * exactly those, the parent's call reads what it writes back (strace then shows no `=>`). */
static uint64_t uffd_features(void) {
    int p[2];
    uint64_t f = 0;
    sigset_t chld;
    /* Blocked, the child's SIGCHLD is never delivered: no signal line (with a pid) to print. */
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    if (pipe(p))
        return 0;
    if (fork() == 0) {
        int u = syscall(SYS_userfaultfd, O_CLOEXEC);
        struct uffdio_api a = {.api = UFFD_API};
        ioctl(u, UFFDIO_API, &a);
        write(p[1], &a.features, sizeof a.features);
        _exit(0);
    }
    read(p[0], &f, sizeof f);
    wait(NULL);
    close(p[0]);
    close(p[1]);
    return f;
}

static void uffd(void) {
    void *bad = (void *)0x1000;
    uint64_t features = uffd_features();
    int u = syscall(SYS_userfaultfd, O_CLOEXEC);
    struct uffdio_api api = {.api = UFFD_API, .features = features};
    ioctl(u, UFFDIO_API, &api);
    ioctl(-1, UFFDIO_API, &api);
    ioctl(u, UFFDIO_API, NULL);
    ioctl(u, UFFDIO_API, bad);
    char *p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct uffdio_register reg = {.range = {(unsigned long)p, 8192},
                                  .mode = UFFDIO_REGISTER_MODE_MISSING};
    ioctl(u, UFFDIO_REGISTER, &reg);
    struct uffdio_register reg2 = {.range = {(unsigned long)p, 8192},
                                   .mode = UFFDIO_REGISTER_MODE_MISSING | 0x80};
    ioctl(u, UFFDIO_REGISTER, &reg2);
    ioctl(-1, UFFDIO_REGISTER, &reg);
    ioctl(u, UFFDIO_REGISTER, NULL);
    char src[4096] = {1};
    struct uffdio_copy cp = {.dst = (unsigned long)p, .src = (unsigned long)src, .len = 4096,
                             .mode = UFFDIO_COPY_MODE_DONTWAKE};
    ioctl(u, UFFDIO_COPY, &cp);
    ioctl(u, UFFDIO_COPY, &cp);
    cp.mode = 0x10;
    ioctl(-1, UFFDIO_COPY, &cp);
    ioctl(u, UFFDIO_COPY, NULL);
    struct uffdio_zeropage zp = {.range = {(unsigned long)p + 4096, 4096}};
    ioctl(u, UFFDIO_ZEROPAGE, &zp);
    ioctl(u, UFFDIO_ZEROPAGE, &zp);
    zp.mode = UFFDIO_ZEROPAGE_MODE_DONTWAKE | 2;
    ioctl(-1, UFFDIO_ZEROPAGE, &zp);
    zp.mode = 2;
    ioctl(-1, UFFDIO_ZEROPAGE, &zp);
    reg.mode = 0x40;
    ioctl(-1, UFFDIO_REGISTER, &reg);
    api.features = 1ULL << 40;
    ioctl(-1, UFFDIO_API, &api);
    struct uffdio_writeprotect wp = {.range = {(unsigned long)p, 4096},
                                     .mode = UFFDIO_WRITEPROTECT_MODE_WP};
    ioctl(-1, UFFDIO_WRITEPROTECT, &wp);
    struct uffdio_continue co = {.range = {(unsigned long)p, 4096},
                                 .mode = UFFDIO_CONTINUE_MODE_DONTWAKE};
    ioctl(-1, UFFDIO_CONTINUE, &co);
    struct uffdio_range wr = {(unsigned long)p, 8192};
    ioctl(u, UFFDIO_WAKE, &wr);
    ioctl(u, UFFDIO_UNREGISTER, &wr);
    ioctl(u, UFFDIO_UNREGISTER, bad);
    close(u);
}

static void kvm(void) {
    void *bad = (void *)0x1000;
    int k = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    int vm = ioctl(k, KVM_CREATE_VM, 0);
    ioctl(k, KVM_CREATE_VM, 99);
    char *mem = mmap(0, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    mem[0] = 0xf4;
    struct kvm_userspace_memory_region r = {.slot = 0, .guest_phys_addr = 0x1000,
                                            .memory_size = 0x1000,
                                            .userspace_addr = (unsigned long)mem};
    ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r);
    r.slot = 1;
    r.flags = KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY | 0x80;
    ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r);
    ioctl(-1, KVM_SET_USER_MEMORY_REGION, NULL);
    ioctl(-1, KVM_SET_USER_MEMORY_REGION, bad);
    int vc = ioctl(vm, KVM_CREATE_VCPU, 0);
    ioctl(vm, KVM_CREATE_VCPU, 0);
    ioctl(vm, KVM_CREATE_VCPU, 3);
    struct kvm_sregs sr;
    ioctl(vc, KVM_GET_SREGS, &sr);
    sr.cs.base = 0;
    sr.cs.selector = 0;
    ioctl(vc, KVM_SET_SREGS, &sr);
    ioctl(-1, KVM_GET_SREGS, &sr);
    ioctl(-1, KVM_SET_SREGS, &sr);
    ioctl(vc, KVM_GET_SREGS, NULL);
    struct kvm_regs rg;
    memset(&rg, 0, sizeof rg);
    rg.rip = 0x1000;
    rg.rflags = 2;
    rg.rbx = 7;
    rg.r9 = 9;
    ioctl(vc, KVM_SET_REGS, &rg);
    ioctl(vc, KVM_GET_REGS, &rg);
    ioctl(-1, KVM_GET_REGS, &rg);
    ioctl(vc, KVM_SET_REGS, bad);
    struct {
        struct kvm_cpuid2 c;
        struct kvm_cpuid_entry2 e[4];
    } cpuid;
    memset(&cpuid, 0, sizeof cpuid);
    cpuid.c.nent = 4;
    ioctl(k, KVM_GET_SUPPORTED_CPUID, &cpuid);
    cpuid.c.nent = 0;
    ioctl(vc, KVM_SET_CPUID2, &cpuid);
    ioctl(-1, KVM_SET_CPUID2, NULL);
    close(vc);
    close(vm);
    close(k);
}

static void files(void) {
    void *bad = (void *)0x1000;
    int fd = open("ioctl_more.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(fd, "hello", 5);
    struct fstrim_range tr = {.start = 0x1000, .len = 4096, .minlen = 512};
    ioctl(-1, FITRIM, &tr);
    ioctl(fd, FITRIM, NULL);
    struct file_clone_range cr = {.src_fd = fd, .src_offset = 0, .src_length = 4096};
    ioctl(fd, FICLONERANGE, &cr);
    ioctl(-1, FICLONERANGE, &cr);
    ioctl(-1, FICLONERANGE, bad);
    struct {
        struct file_dedupe_range r;
        struct file_dedupe_range_info i[3];
    } dd;
    memset(&dd, 0, sizeof dd);
    dd.r.src_length = 5;
    dd.r.dest_count = 1;
    dd.i[0].dest_fd = fd;
    dd.i[0].dest_offset = 0;
    ioctl(fd, FIDEDUPERANGE, &dd);
    dd.r.dest_count = 3;
    dd.i[1].dest_fd = -1;
    dd.i[2].dest_fd = 7;
    ioctl(-1, FIDEDUPERANGE, &dd);
    dd.r.dest_count = 0;
    ioctl(-1, FIDEDUPERANGE, &dd);
    ioctl(-1, FIDEDUPERANGE, NULL);
    char label[FSLABEL_MAX];
    memset(label, 'x', sizeof label);
    ioctl(-1, FS_IOC_GETFSLABEL, label);
    ioctl(-1, FS_IOC_SETFSLABEL, "tracer");
    ioctl(-1, FS_IOC_SETFSLABEL, NULL);
    int v = 0xffffffff;
    ioctl(fd, FS_IOC_SETFLAGS, &v);
    ioctl(-1, INOTIFY_IOC_SETNEXTWD, 5);
    ioctl(-1, INOTIFY_IOC_SETNEXTWD, -2);
    /* btrfs on a file that is not on btrfs, and on no fd. */
    struct btrfs_ioctl_vol_args va;
    memset(&va, 0, sizeof va);
    va.fd = fd;
    strcpy(va.name, "snap");
    ioctl(fd, BTRFS_IOC_SNAP_CREATE, &va);
    ioctl(-1, BTRFS_IOC_SNAP_CREATE, NULL);
    ioctl(-1, BTRFS_IOC_SYNC);
    uint64_t id = 0;
    ioctl(-1, BTRFS_IOC_DEFAULT_SUBVOL, &id);
    struct btrfs_ioctl_quota_ctl_args q = {.cmd = BTRFS_QUOTA_CTL_ENABLE};
    ioctl(-1, BTRFS_IOC_QUOTA_CTL, &q);
    q.cmd = 9;
    ioctl(-1, BTRFS_IOC_QUOTA_CTL, &q);
    ioctl(-1, BTRFS_IOC_QUOTA_CTL, bad);
    close(fd);
    unlink("ioctl_more.tmp");
}

/* Device mapper, V4L2 and perf requests on fds that are not theirs: what the call read. */
static void devices(void) {
    void *bad = (void *)0x1000;
    int n = open("/dev/null", O_RDWR);
    struct dm_ioctl d;
    memset(&d, 0, sizeof d);
    d.version[0] = DM_VERSION_MAJOR;
    d.data_size = sizeof d;
    strcpy(d.name, "vg0");
    ioctl(-1, DM_VERSION, &d);
    ioctl(n, DM_LIST_DEVICES, &d);
    ioctl(-1, DM_DEV_CREATE, &d);
    ioctl(-1, DM_TABLE_STATUS, &d);
    d.dev = 0x801;
    strcpy(d.uuid, "uuid");
    d.flags = DM_READONLY_FLAG | DM_SUSPEND_FLAG | 0x4 | 0x80000000;
    d.event_nr = 3;
    d.target_count = 2;
    ioctl(-1, DM_DEV_SUSPEND, &d);
    ioctl(-1, DM_TABLE_LOAD, &d);
    ioctl(-1, DM_DEV_REMOVE, &d);
    ioctl(-1, DM_DEV_RENAME, &d);
    ioctl(-1, DM_TARGET_MSG, &d);
    ioctl(-1, DM_LIST_VERSIONS, &d);
    d.data_start = 0x200;
    d.flags = 0;
    memset(d.name, 'a', sizeof d.name);
    ioctl(-1, DM_TABLE_DEPS, &d);
    ioctl(-1, DM_DEV_SET_GEOMETRY, &d);
    ioctl(-1, DM_DEV_ARM_POLL, &d);
    ioctl(-1, DM_REMOVE_ALL, &d);
    ioctl(-1, DM_DEV_WAIT, &d);
    d.version[0] = 3;
    ioctl(-1, DM_VERSION, &d);
    d.version[0] = DM_VERSION_MAJOR;
    d.data_size = 100;
    ioctl(-1, DM_VERSION, &d);
    ioctl(-1, DM_VERSION, NULL);
    ioctl(-1, DM_VERSION, bad);
    struct v4l2_format f;
    memset(&f, 0, sizeof f);
    ioctl(-1, VIDIOC_G_FMT, &f);
    f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    ioctl(n, VIDIOC_G_FMT, &f);
    ioctl(-1, VIDIOC_G_FMT, NULL);
    f.type = 99;
    ioctl(-1, VIDIOC_S_FMT, &f);
    struct v4l2_fmtdesc fd;
    memset(&fd, 0, sizeof fd);
    fd.index = 2;
    fd.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    ioctl(-1, VIDIOC_ENUM_FMT, &fd);
    fd.type = 0x80;
    ioctl(-1, VIDIOC_ENUM_FMT, &fd);
    int t = V4L2_BUF_TYPE_VIDEO_OUTPUT;
    ioctl(-1, VIDIOC_STREAMON, &t);
    ioctl(-1, VIDIOC_STREAMOFF, &t);
    t = 0;
    ioctl(n, VIDIOC_STREAMON, &t);
    ioctl(-1, VIDIOC_STREAMON, NULL);
    struct v4l2_requestbuffers rb = {.count = 4, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
                                     .memory = V4L2_MEMORY_MMAP};
    ioctl(-1, VIDIOC_REQBUFS, &rb);
    rb.memory = 9;
    ioctl(-1, VIDIOC_REQBUFS, &rb);
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    ioctl(-1, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, &attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_TASK_CLOCK;
    attr.sample_period = 1000;
    ioctl(n, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, &attr);
    ioctl(-1, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, NULL);
    close(n);
}

int main(void) {
    uffd();
    kvm();
    files();
    devices();
    return 0;
}
