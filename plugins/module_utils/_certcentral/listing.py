# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Reading a listing of orders page by page while the account changes under it.

CertCentral pages with ``offset`` and ``limit``. In a busy account orders are placed, issued and canceled between two
pages: an order that joins the listing before the current offset pushes every later order one place on (the next
page repeats one), and an order that leaves it pulls them one place back (the next page would skip one). Nothing in
an answer says so. The reader therefore asks for pages that overlap: every page after the first must repeat at least
one order already seen. Whatever order the server lists in, as long as it is the same order on every page, such a
page holds every order the listing holds from the repeated one to the page's end, so no order that was in the listing
all along can fall between two pages. A page that repeats nothing means orders left the listing before it; the
reader then reads from further back (a bounded number of times). Orders that come twice are kept once.
"""

from __future__ import annotations

from .errors import CertCentralError

# The largest page the list endpoints serve; the documented examples of unparameterised calls show this limit.
PAGE_SIZE = 1000
# Ascending order ID: a new order gets the highest ID, so orders placed during a listing join at its end and shift no
# page. The console's newest-first order would put them at the front and shift every page.
LISTING_SORT = "id"
# How many orders of the page before each page repeats at first, at most (a fifth of the page when pages are small).
# Each time orders left the listing faster than that, the overlap doubles, up to half a page.
MAX_PAGE_OVERLAP = 50
# How many pages are asked for at once (by the client's pool of workers) before their answers are checked.
PAGES_AT_ONCE = 16
# Bounds of one listing: beyond them a server that claims an absurd total, or serves tiny pages, would make the run
# hold or request without end.
MAX_LISTED_ORDERS = 100000
MAX_LISTING_REQUESTS = 1000
# How many times one listing may read again from further back because orders left it while it was read.
MAX_REREADS = 20
# How many pages in a row may hold only orders served before. One such page is what a burst of orders placed at the
# front of a newest-first listing leaves; page after page of them is what a server that ignores offset serves.
MAX_PAGES_WITHOUT_NEW_ORDERS = 3


class OrderPage:
    """One answer of the order list: its orders, the total and page limit it claims, and the offset asked for."""

    def __init__(self, orders, total, limit, offset):
        self.orders = orders
        self.total = total
        self.limit = limit
        self.offset = offset
        # The IDs of the orders, in their order, once keep_orders() has replaced the orders by what is kept of them.
        self.kept_ids = None

    def keep_orders(self, keep):
        """Replace the page's orders by what ``keep`` makes of each, where the page arrived (a worker of the client):
        a page that waits for its turn then holds that instead of the whole answer, several times its size."""
        self.kept_ids = [order["id"] for order in self.orders]
        self.orders = [keep(order) for order in self.orders]

    def order_ids(self):
        return self.kept_ids if self.kept_ids is not None else [order["id"] for order in self.orders]

    @property
    def end(self):
        return self.offset + len(self.orders)

    @property
    def is_last(self):
        return self.end >= self.total


def describe_listing(filters):
    if not filters:
        return "all orders"
    return f"orders with {', '.join(f'{name}={value}' for name, value in sorted(filters.items()))}"


def first_overlap(page_size):
    return max(2, min(MAX_PAGE_OVERLAP, page_size // 5))


class OrderListing:
    """Reads one listing to its end with ``fetch_pages(offsets, limit)``, which yields the pages in that order.

    The result holds every order that was in the listing from the start to the end of the reading, once, in the
    order of the listing; orders that joined or left meanwhile may or may not be in it.

    ``keep`` turns each order into what the result holds (the order itself by default), so that a caller who needs
    less than the whole order, such as a report's row, never holds every order of a large account: when the page is
    checked, or earlier where ``fetch_pages`` gave it already kept (OrderPage.keep_orders()). So ``keep`` depends on
    nothing but the order, may run in another thread, and may run for a page that is then read again. A repeated order
    is kept again from its newer data.

    ``progress(read, total, finished)``, when given, is called after each page but the last, with how many orders
    have been read and how many the page counts, and once at the end (see progress.py).
    """

    def __init__(self, filters, fetch_pages, keep=None, progress=None):
        self.filters = filters
        self._fetch_pages = fetch_pages
        self._keep = keep
        self._progress = progress
        # What is kept of each order, by order ID, in the order of the listing.
        self.orders = {}
        self.requests = 0
        self.rereads = 0
        # Pages in a row, up to the last one read, that held only orders served before.
        self.pages_without_new_orders = 0
        self.page_size = PAGE_SIZE
        self.overlap = first_overlap(PAGE_SIZE)
        self._first_page = None

    def first_page(self):
        """Read and check the first page, once; its total tells what the rest of the listing costs, and read() goes on
        from it."""
        if self._first_page is None:
            page = self._fetch_one(0)
            self._accept(page)
            self._first_page = page
        return self._first_page

    def read(self):
        page = self.first_page()
        while not page.is_last:
            page = self._read_on_from(page)
        if self._progress is not None:
            self._progress(len(self.orders), len(self.orders), True)
        return list(self.orders.values())

    # ---------------------------------------------------------------- reading

    def _fetch_one(self, offset):
        return next(iter(self._fetch([offset])))

    def _fetch(self, offsets):
        self.requests += len(offsets)
        if self.requests > MAX_LISTING_REQUESTS + PAGES_AT_ONCE:
            self._fail(
                f"it would take more than {MAX_LISTING_REQUESTS} requests (pages of {self.page_size} orders, {self.rereads} re-reads); "
                "list fewer orders at once (add filters)"
            )
        return self._fetch_pages(offsets, self.page_size)

    def _read_on_from(self, page):
        """Read the pages after ``page`` (several at once, as far as its total says); return the last page read."""
        stride = self._stride()
        start = page.end - self._overlap()
        count = min(PAGES_AT_ONCE, max(1, -(-(page.total - page.end) // stride)))
        offsets = [start + index * stride for index in range(count)]
        pages = self._fetch(offsets)
        try:
            for planned in pages:
                if not planned.orders and not planned.is_last:
                    self._fail(f"CertCentral counts {planned.total} orders in it but served none at offset {planned.offset}")
                if not self._repeats_an_order(planned):
                    return self._read_again_before(planned.offset)
                self._count_pages_without_new_orders(planned)
                self._accept(planned)
                if planned.is_last:
                    return planned
                page = planned
        finally:
            close = getattr(pages, "close", None)
            if close is not None:
                close()
        return page

    def _count_pages_without_new_orders(self, page):
        """A page that holds only orders served before is read on from, since orders placed before it (a newest-first
        listing) push the orders not yet served further back; the next pages bring them. A server that ignores offset
        serves such pages until the end: a few in a row, or a last page still short of the total, stop the listing."""
        if not all(order_id in self.orders for order_id in page.order_ids()):
            self.pages_without_new_orders = 0
            return
        self.pages_without_new_orders += 1
        short_at_the_end = page.is_last and len(self.orders) < page.total
        if self.pages_without_new_orders > MAX_PAGES_WITHOUT_NEW_ORDERS or short_at_the_end:
            self._fail(
                f"CertCentral served only orders it had served before at offset {page.offset} ({self.pages_without_new_orders} pages "
                "in a row), as if it ignored offset"
            )

    def _read_again_before(self, offset):
        """Orders left the listing before ``offset``: read from further back until a page repeats an order."""
        self.overlap *= 2
        back = self._stride()
        while True:
            self.rereads += 1
            if self.rereads > MAX_REREADS:
                self._fail(
                    f"it kept moving faster than it could be read ({MAX_REREADS} re-reads after orders left it); run again "
                    "at a quieter time, or list fewer orders at once (add filters)"
                )
            offset = max(0, offset - back)
            page = self._fetch_one(offset)
            if offset == 0 or self._repeats_an_order(page):
                self._accept(page)
                return page
            back *= 2

    def _overlap(self):
        return min(self.overlap, max(1, self.page_size // 2))

    def _stride(self):
        return max(1, self.page_size - self._overlap())

    # ---------------------------------------------------------------- checks

    def _repeats_an_order(self, page):
        return any(order_id in self.orders for order_id in page.order_ids())

    def _accept(self, page):
        self._check_bounds(page)
        keep = self._keep
        if page.kept_ids is not None or keep is None:
            kept = page.orders
        else:
            kept = map(keep, page.orders)
        # A repeated order keeps its place and takes the newer data.
        self.orders.update(zip(page.order_ids(), kept))
        if not page.is_last and len(page.orders) < self.page_size:
            # The server serves smaller pages than it was asked for without saying so: follow what it serves.
            self.page_size = len(page.orders)
            self.overlap = min(self.overlap, first_overlap(self.page_size))
        if not page.is_last and self.page_size < 2:
            self._fail(f"CertCentral served {len(page.orders)} orders at offset {page.offset} although it counts {page.total}, so the listing cannot go on")
        if self._progress is not None and not page.is_last:
            self._progress(len(self.orders), page.total, False)

    def _check_bounds(self, page):
        if page.limit and page.limit < self.page_size:
            self.page_size = page.limit
            self.overlap = min(self.overlap, first_overlap(page.limit))
        if page.total > MAX_LISTED_ORDERS:
            self._fail(
                f"CertCentral counts {page.total} orders in it, more than the {MAX_LISTED_ORDERS} one listing may hold; list fewer orders at once (add filters)"
            )
        remaining = -(-max(0, page.total - page.end) // self._stride())
        if self.requests + remaining > MAX_LISTING_REQUESTS:
            self._fail(
                f"CertCentral counts {page.total} orders in it and serves {self.page_size} per page, which would take more than {MAX_LISTING_REQUESTS} "
                "requests; list fewer orders at once (add filters)"
            )

    def _fail(self, problem):
        raise CertCentralError(f"Listing {describe_listing(self.filters)} stopped: {problem}. No order was changed.", method="GET", path="/order/certificate")
