"""Page helpers for partnership views; they live in navigation.py so higher apps share them."""

from ..navigation import PAGE_SIZE, REFUSED, get_partnership, query_without_page, render_in

__all__ = ["PAGE_SIZE", "REFUSED", "get_partnership", "query_without_page", "render_in"]
