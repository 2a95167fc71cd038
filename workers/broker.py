"""The Redis transport, with one correction: a closed connection's channel fails with a
connection error, not an AttributeError.

kombu 5.7.0 with Celery 5.7.0 (redis-py 8.1.0): when the consumer loses Redis it calls
`connection.collect()`, which detaches the transport from its connection
(`transport.client = None`), then `connection.close()`. Closing a Redis channel drops its
connection pools first (`_disconnect_pools`) and then restores the messages it still holds
unacknowledged (`QoS.restore_unacked`), which needs a new pool, built by `_connparams` from
`self.connection.client.hostname`: `'NoneType' object has no attribute 'hostname'`. Nothing on
that path catches AttributeError (they catch the transport's connection errors), so the
consumer dies with "Unrecoverable error" and the worker process exits. It happens only when
late-acknowledged messages were held at the moment Redis went, that is under load.

`Channel._connparams` here raises redis's ConnectionError when the connection is detached:
every caller already handles a connection error (the close ignores it, the consumer then
reconnects). The messages that could not be restored are still in Redis's unacked hash (the
visibility timeout restores them) or, when Redis lost them, are published again by the relay's
sweep (models.outbox_store.requeue_lost).
"""

from __future__ import annotations

from typing import Any

import redis
from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> Any:
        if self.connection is None or self.connection.client is None:
            raise redis.exceptions.ConnectionError("the broker connection has been closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel


TRANSPORT = "workers.broker:Transport"
