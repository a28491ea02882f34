# The portable runner itself: a sync test, an async test, and the assertion helpers.
# runtimes: mp-asyncio cpy-asyncio
import asyncio

import ptest
from ptest import test


@test
def sync_test_runs():
    ptest.eq(1 + 1, 2)


@test
async def async_test_runs_in_a_loop():
    order = []

    async def child():
        order.append("child")

    await asyncio.create_task(child())
    order.append("parent")
    ptest.eq(order, ["child", "parent"])


@test
def raises_reports_a_missing_exception():
    try:
        ptest.raises(ValueError, lambda: None)
    except AssertionError:
        return
    raise AssertionError("raises() accepted a function that did not raise")


ptest.main()
