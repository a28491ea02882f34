"""machine.RTC: a real-time clock that runs on the scheduler's clock.

One clock for the board, whoever makes `RTC()`. It starts at 2000-01-01 00:00:00 (as many
boards do after power-up) when first made, and counts the scheduler's milliseconds, so under
a VirtualClock a day of device time passes in moments. `datetime()` reads and sets
(year, month, day, weekday, hours, minutes, seconds, subseconds): weekday 0 is Monday and is
worked out from the date when setting; subseconds are microseconds (in whole ms).

`time.localtime()` and `time.time()` are the host's and do not follow this clock.
"""

from . import clock
from .machine import _on_reset

_EPOCH_YEAR = 2000
_state = []  # [seconds since 2000-01-01 at the base, base now_ms() reading, ms part]


def _reset():
    del _state[:]


_on_reset(_reset)


def _count(y, m, d):
    # A day count for the date: years start in March, so the leap day comes last.
    if m < 3:
        y -= 1
        m += 12
    return 365 * y + y // 4 - y // 100 + y // 400 + (153 * (m - 3) + 2) // 5 + d


_DAY0 = _count(_EPOCH_YEAR, 1, 1)


def days(y, m, d):
    """Days from 2000-01-01 to the date."""
    return _count(y, m, d) - _DAY0


def date(n):
    """(year, month, day) `n` days after 2000-01-01."""
    y = _EPOCH_YEAR + n // 366
    while days(y + 1, 1, 1) <= n:
        y += 1
    m = 1
    while m < 12 and days(y, m + 1, 1) <= n:
        m += 1
    return y, m, n - days(y, m, 1) + 1


def _now():
    # Seconds and ms now; re-based at every reading so that the ms difference stays small
    # (MicroPython's ticks wrap after about 12 days).
    if not _state:
        _state.extend((0, clock.now_ms(), 0))
    now = clock.now_ms()
    total = _state[2] + clock.diff_ms(now, _state[1])
    _state[0] += total // 1000
    _state[1] = now
    _state[2] = total % 1000
    return _state[0], _state[2]


class RTC:
    def __init__(self, id=0, datetime=None):
        _now()
        if datetime is not None:
            self.datetime(datetime)

    def init(self, datetime):
        self.datetime(datetime)

    def datetime(self, datetime=None):
        if datetime is None:
            secs, ms = _now()
            n, s = divmod(secs, 86400)
            y, m, d = date(n)
            return (y, m, d, (n + 5) % 7, s // 3600, s // 60 % 60, s % 60, ms * 1000)
        y, m, d = datetime[0], datetime[1], datetime[2]
        h, mi, s = (tuple(datetime[4:7]) + (0, 0, 0))[:3]
        sub = datetime[7] if len(datetime) > 7 else 0
        if not (1 <= m <= 12 and 1 <= d <= 31 and 0 <= h < 24 and 0 <= mi < 60 and 0 <= s < 60):
            raise ValueError("invalid date or time %r" % (datetime,))
        if y < _EPOCH_YEAR:
            raise ValueError("the RTC model starts in %d" % _EPOCH_YEAR)
        del _state[:]
        _state.extend(
            (days(y, m, d) * 86400 + h * 3600 + mi * 60 + s, clock.now_ms(), sub // 1000)
        )
