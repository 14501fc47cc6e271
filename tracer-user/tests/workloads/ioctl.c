/* ioctl with valid, invalid and NULL arguments: named requests (from the UAPI headers),
 * numbers without a name, and the arguments tracer decodes. Run in a scratch directory. */
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void) {
    int n = 5, p[2];
    unsigned long long size = 7;
    long flags = 0;
    struct winsize ws = {24, 80, 0, 0};
    struct termios t;
    int file = open("ioctl-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (file < 0 || pipe(p) < 0)
        return 1;
    write(p[1], "abc", 3);

    /* Names: one, two for one number ("A or B"), and numbers without a name. */
    ioctl(p[0], FIONREAD, &n);
    ioctl(-1, FIONREAD, NULL);
    ioctl(-1, FIONREAD, &n);
    ioctl(0x7fffffff, FIONREAD, &n);
    ioctl(-1, FICLONE, 5);
    ioctl(-1, 0x1234, 0);
    ioctl(-1, 0x1234, 0xffffffffffffffffUL);
    ioctl(-1, (2u << 30) | (0xfd << 8) | (0x1fff << 16), 0);
    ioctl(-1, (3u << 30) | (0xfe << 8) | 7 | (16 << 16), &n);
    ioctl(-1, (1u << 30) | (0xfc << 8) | 1 | (4 << 16), (void *)1);
    ioctl(-1, TIOCMGET + 0x100, 0);
    /* Named but not decoded: the argument is a number. */
    ioctl(-1, VFIO_GET_API_VERSION, 0);
    ioctl(-1, VFIO_GET_API_VERSION, &n);

    /* Inode flags, read and written. */
    ioctl(file, FS_IOC_GETFLAGS, &flags);
    ioctl(-1, FS_IOC_GETFLAGS, NULL);
    ioctl(-1, FS_IOC_GETFLAGS, &flags);
    flags = 0x7fffffff;
    ioctl(-1, FS_IOC_SETFLAGS, &flags);
    flags = 0;
    ioctl(-1, FS_IOC_SETFLAGS, &flags);
    ioctl(-1, FS_IOC_SETFLAGS, NULL);
    ioctl(-1, FS_IOC_SETFLAGS, (void *)1);
    ioctl(-1, FIFREEZE, 0);

    /* Block devices. */
    ioctl(-1, BLKGETSIZE64, &size);
    ioctl(-1, BLKGETSIZE64, NULL);
    ioctl(file, BLKGETSIZE64, &size);
    ioctl(-1, BLKSSZGET, &n);
    ioctl(-1, BLKROSET, &n);
    ioctl(-1, BLKRASET, 256);
    ioctl(-1, BLKFLSBUF, 0);

    /* Terminals, on a file that is not one and on no file. */
    ioctl(file, TCGETS, &t);
    ioctl(-1, TCSETS, NULL);
    ioctl(-1, TIOCGWINSZ, &ws);
    ioctl(-1, TIOCSWINSZ, &ws);
    ioctl(-1, TIOCSWINSZ, NULL);
    ioctl(-1, TIOCSPGRP, &n);
    ioctl(-1, TIOCGPGRP, &n);
    ioctl(-1, FIONBIO, &n);
    ioctl(-1, FIONBIO, NULL);
    ioctl(-1, FIOCLEX);
    ioctl(-1, FIONCLEX, 5);
    ioctl(-1, TCSBRK, 1);
    ioctl(-1, TCXONC, TCOON);
    ioctl(-1, TCXONC, 9);
    ioctl(-1, TCFLSH, TCIOFLUSH);
    ioctl(-1, TIOCSTI, "x");
    ioctl(-1, TIOCSCTTY, 0);

    unlink("ioctl-file");
    return 0;
}
