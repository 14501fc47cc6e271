/* Device ioctls with valid, invalid and NULL arguments, on fd -1 and on devices present here:
 * random (/dev/urandom), watchdog, rtc. Run in a scratch directory. */
#include <fcntl.h>
#include <linux/random.h>
#include <linux/rtc.h>
#include <linux/watchdog.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void) {
    int n = 5, r = open("/dev/urandom", O_RDONLY);
    void *bad = (void *)0x1000;
    int pool[12] = {8, 8, 0x01020304, 0x05060708, 9, 10, 11, 12, 13, 14, 15, 16};
    struct rtc_time tm = {1, 2, 3, 4, 5, 106, 0, 0, 0};
    struct rtc_wkalrm alarm = {1, 0, {1, 2, 3, 4, 5, 106, 0, 0, 0}};
    struct watchdog_info wdi;
    unsigned long ul = 7;
    struct rtc_pll_info pll = {1, -2, 3, 4, 5, 6, -7};

    /* random */
    ioctl(r, RNDGETENTCNT, &n);
    ioctl(-1, RNDGETENTCNT, &n);
    ioctl(-1, RNDGETENTCNT, NULL);
    ioctl(-1, RNDGETENTCNT, bad);
    ioctl(-1, RNDADDTOENTCNT, &n);
    ioctl(-1, RNDADDTOENTCNT, NULL);
    ioctl(-1, RNDADDTOENTCNT, bad);
    ioctl(-1, RNDADDENTROPY, pool);
    ioctl(-1, RNDADDENTROPY, NULL);
    ioctl(-1, RNDADDENTROPY, bad);
    pool[1] = 0;
    ioctl(-1, RNDADDENTROPY, pool);
    pool[1] = -1;
    ioctl(-1, RNDADDENTROPY, pool);
    pool[1] = 4;
    ioctl(-1, RNDADDENTROPY, pool);
    ioctl(-1, RNDZAPENTCNT, 0);
    ioctl(-1, RNDCLEARPOOL, 1);
    ioctl(-1, RNDRESEEDCRNG, 2);
    ioctl(r, RNDZAPENTCNT, 0);

    /* watchdog */
    ioctl(-1, WDIOC_GETSUPPORT, &wdi);
    ioctl(-1, WDIOC_GETSUPPORT, NULL);
    ioctl(-1, WDIOC_GETSTATUS, &n);
    ioctl(-1, WDIOC_GETBOOTSTATUS, &n);
    ioctl(-1, WDIOC_GETTEMP, &n);
    ioctl(-1, WDIOC_SETOPTIONS, &n);
    n = WDIOS_DISABLECARD | WDIOS_TEMPPANIC;
    ioctl(-1, WDIOC_SETOPTIONS, &n);
    n = 0x10;
    ioctl(-1, WDIOC_SETOPTIONS, &n);
    n = 0;
    ioctl(-1, WDIOC_SETOPTIONS, &n);
    ioctl(-1, WDIOC_SETOPTIONS, NULL);
    ioctl(-1, WDIOC_SETOPTIONS, bad);
    ioctl(-1, WDIOC_KEEPALIVE, 0);
    n = 30;
    ioctl(-1, WDIOC_SETTIMEOUT, &n);
    ioctl(-1, WDIOC_SETTIMEOUT, NULL);
    ioctl(-1, WDIOC_GETTIMEOUT, &n);
    ioctl(-1, WDIOC_SETPRETIMEOUT, &n);
    ioctl(-1, WDIOC_GETPRETIMEOUT, &n);
    ioctl(-1, WDIOC_GETTIMELEFT, &n);
    ioctl(-1, WDIOC_GETTIMELEFT, bad);

    /* rtc */
    ioctl(-1, RTC_RD_TIME, &tm);
    ioctl(-1, RTC_SET_TIME, &tm);
    ioctl(-1, RTC_SET_TIME, NULL);
    ioctl(-1, RTC_SET_TIME, bad);
    ioctl(-1, RTC_ALM_SET, &tm);
    ioctl(-1, RTC_ALM_READ, &tm);
    ioctl(-1, RTC_WKALM_SET, &alarm);
    ioctl(-1, RTC_WKALM_SET, bad);
    ioctl(-1, RTC_WKALM_RD, &alarm);
    ioctl(-1, RTC_IRQP_SET, 64);
    ioctl(-1, RTC_IRQP_READ, &ul);
    ioctl(-1, RTC_EPOCH_SET, 1900);
    ioctl(-1, RTC_EPOCH_SET, -1L);
    ioctl(-1, RTC_EPOCH_READ, &ul);
    ioctl(-1, RTC_AIE_ON, 0);
    ioctl(-1, RTC_UIE_OFF, 0);
    ioctl(-1, RTC_VL_READ, &n);
    ioctl(-1, RTC_VL_CLR, 0);
    ioctl(-1, RTC_PLL_GET, NULL);
    ioctl(-1, RTC_PLL_GET, &pll);
    ioctl(-1, RTC_PLL_SET, &pll);
    ioctl(-1, RTC_PLL_SET, bad);
    ioctl(-1, RTC_VL_READ, NULL);
    close(r);
    return 0;
}
