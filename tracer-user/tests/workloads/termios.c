/* Terminal ioctls on a pseudo-terminal and on no terminal, with valid, invalid and NULL
 * arguments: struct termios (TCGETS, TCSETS*), termios2 (TCGETS2, TCSETS*2), termio
 * (TCGETA, TCSETA*), modem lines and the int-valued requests. The pty's peer is opened with
 * TIOCGPTPEER, so no pty number (which varies between runs) is printed. */
#define _GNU_SOURCE
#include <asm/termbits.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void) {
    struct termios t;
    struct termios2 t2;
    struct termio to;
    int n = 0, lines = TIOCM_DTR | TIOCM_RTS;
    int m = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    if (m < 0 || ioctl(m, TIOCSPTLCK, &n) < 0)
        return 1;
    int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    int null = open("/dev/null", O_RDWR);
    if (s < 0 || null < 0)
        return 1;

    /* struct termios: read, written back, changed. */
    ioctl(s, TCGETS, &t);
    ioctl(s, TCSETS, &t);
    t.c_lflag &= ~(ICANON | ECHO);
    t.c_cc[VMIN] = 1;
    ioctl(s, TCSETSW, &t);
    t.c_cflag = (t.c_cflag & ~CBAUD) | B115200;
    t.c_iflag |= IUTF8 | IXANY;
    t.c_oflag |= XTABS | CR2 | NL1;
    ioctl(s, TCSETSF, &t);
    ioctl(s, TCGETS, &t);
    ioctl(m, TCGETS, &t);
    /* Failing: on no file, on a file that is no terminal, NULL, unreadable. */
    ioctl(-1, TCGETS, &t);
    ioctl(null, TCGETS, &t);
    ioctl(-1, TCGETS, NULL);
    ioctl(-1, TCSETS, &t);
    ioctl(-1, TCSETS, NULL);
    ioctl(-1, TCSETS, (void *)1);
    /* Every bit, no bit, unknown bits alone, an input baud rate. */
    memset(&t, 0xff, sizeof t);
    ioctl(-1, TCSETS, &t);
    memset(&t, 0, sizeof t);
    ioctl(-1, TCSETSW, &t);
    t.c_cflag = BOTHER | CS6;
    ioctl(-1, TCSETSF, &t);
    t.c_iflag = t.c_oflag = t.c_lflag = 0x80000000;
    t.c_cflag = CRTSCTS | (B9600 << IBSHIFT) | B50 | CS7 | ADDRB;
    ioctl(null, TCSETS, &t);
    t.c_cflag = B300 << IBSHIFT;
    ioctl(-1, TCSETS, &t);

    /* struct termios2. */
    ioctl(s, TCGETS2, &t2);
    ioctl(s, TCSETS2, &t2);
    ioctl(-1, TCSETSW2, &t2);
    ioctl(-1, TCSETSF2, NULL);
    ioctl(-1, TCGETS2, &t2);
    t2.c_cflag = BOTHER | CS8;
    t2.c_ispeed = 12345;
    t2.c_ospeed = 54321;
    ioctl(-1, TCSETS2, &t2);

    /* struct termio: 16-bit words. */
    ioctl(s, TCGETA, &to);
    ioctl(s, TCSETA, &to);
    ioctl(-1, TCSETAW, &to);
    ioctl(-1, TCSETAF, NULL);
    ioctl(-1, TCGETA, &to);
    memset(&to, 0xff, sizeof to);
    ioctl(-1, TCSETA, &to);

    /* Modem lines and the int-valued requests. */
    ioctl(s, TIOCMGET, &n);
    ioctl(-1, TIOCMGET, &n);
    ioctl(-1, TIOCMSET, &lines);
    ioctl(-1, TIOCMBIS, &lines);
    lines = 0;
    ioctl(-1, TIOCMBIC, &lines);
    lines = 0x10000;
    ioctl(-1, TIOCMSET, &lines);
    ioctl(-1, TIOCMSET, NULL);
    ioctl(s, TIOCGETD, &n);
    ioctl(-1, TIOCSETD, &n);
    ioctl(m, TIOCPKT, &n);
    ioctl(s, TIOCGSOFTCAR, &n);
    ioctl(-1, TIOCSSOFTCAR, &n);
    ioctl(s, TIOCGEXCL, &n);
    ioctl(-1, TIOCGDEV, &n);
    ioctl(-1, TCSBRK, -1);
    ioctl(-1, TCSBRKP, 3);
    ioctl(-1, TIOCSCTTY, -1);
    ioctl(-1, TIOCCONS);
    ioctl(-1, TIOCVHANGUP);
    ioctl(-1, TIOCGLCKTRMIOS, &t);
    ioctl(-1, TIOCSLCKTRMIOS, &t);
    ioctl(-1, TIOCSLCKTRMIOS, NULL);

    close(s);
    close(m);
    return 0;
}
