"""The cache as an aid, never a dependency: when Redis does not answer, reads miss and
writes are dropped (logged once a minute), so pages, sign-in and writes keep working
and simply run uncached until Redis is back."""

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60.0
_last_logged = {"at": 0.0}


def _log_outage(operation: str) -> None:
    now = time.monotonic()
    if now - _last_logged["at"] >= LOG_EVERY_SECONDS:
        _last_logged["at"] = now
        logger.warning("cache.unavailable", extra={"operation": operation})


def _tolerant(operation: str, fallback):
    def decorate(method):
        @wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError):
                _log_outage(operation)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return call

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _incr_unavailable(*args, **kwargs):
    # As if the key were missing: callers that start a counter then set it.
    raise ValueError("the cache is unavailable")


class TolerantRedisCache(RedisCache):
    get = _tolerant("get", _default)(RedisCache.get)
    get_many = _tolerant("get_many", {})(RedisCache.get_many)
    has_key = _tolerant("has_key", False)(RedisCache.has_key)
    add = _tolerant("add", False)(RedisCache.add)
    set = _tolerant("set", None)(RedisCache.set)
    set_many = _tolerant("set_many", [])(RedisCache.set_many)
    touch = _tolerant("touch", False)(RedisCache.touch)
    delete = _tolerant("delete", False)(RedisCache.delete)
    delete_many = _tolerant("delete_many", None)(RedisCache.delete_many)
    incr = _tolerant("incr", _incr_unavailable)(RedisCache.incr)
    clear = _tolerant("clear", False)(RedisCache.clear)
