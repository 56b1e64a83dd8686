"""The Redis store's Lua scripts (redis.py): each operation is one script, run atomically by Redis.

Beside the sessions' keys (redis.py lists them) the scripts keep the bytes of stored networks:

    {prefix}sizes      hash of id -> the bytes of its values (base, state and kept steps)
    {prefix}bytes      their total; beyond the store's bound (settings.store_max_bytes) the least
                       recently used networks are removed, at each creation and each save
    {prefix}gone:{id}  a network removed to make room, until it would have expired: a request for it
                       is told why it is gone

A network's size is noted at its creation and changed by each save by what the save replaces (HSTRLEN
of the fields it writes: no value is read). Keys of the previous version are measured whole at their
first save.
"""

from __future__ import annotations

from ..nn.history import KEEP

# The kept steps (history.py) are fields of the session's hash, one per place in the ring.
KEPT_FIELDS = [f"kept:{slot}" for slot in range(KEEP)]

_TOUCH = """
local now = redis.call('TIME')
redis.call('ZADD', KEYS[2], now[1] * 1000000 + now[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local state, base = false, false
if v ~= ARGV[3] then state = redis.call('HGET', KEYS[1], 'state') end
if ARGV[4] == '1' then base = redis.call('HGET', KEYS[1], 'base') end
return {v, state, base}
"""

# KEYS: session, lru. ARGV: id, ttl_ms, cached version, need base (1/0).
READ = "local v = redis.call('HGET', KEYS[1], 'version')\nif not v then return false end\n" + _TOUCH

# KEYS: session, lru, lock. ARGV: id, ttl_ms, cached version, need base, token, lease_ms.
# Busy: 0. A retried call that already holds the lock (same token) goes on.
LOCK_AND_READ = """
local v = redis.call('HGET', KEYS[1], 'version')
if not v then return false end
if not redis.call('SET', KEYS[3], ARGV[5], 'NX', 'PX', ARGV[6]) and redis.call('GET', KEYS[3]) ~= ARGV[5] then
    return 0
end
""" + _TOUCH

# The bytes of stored networks. sizes, total: the keys above; prefix: the store's key prefix.
_BYTES = """
local function forget(sizes, total, lru, prefix, id, gone_ms)
    local size = redis.call('HGET', sizes, id)
    if size then
        redis.call('DECRBY', total, size)
        redis.call('HDEL', sizes, id)
    end
    redis.call('ZREM', lru, id)
    if redis.call('DEL', prefix .. 's:' .. id) == 1 and gone_ms then
        redis.call('SET', prefix .. 'gone:' .. id, 1, 'PX', gone_ms)
    end
end
local function make_room(sizes, total, lru, prefix, needed, max_bytes, keep, ttl_ms)
    if max_bytes < 0 then return end
    while tonumber(redis.call('GET', total) or '0') + needed > max_bytes do
        local oldest = redis.call('ZRANGE', lru, 0, 1)
        local id = oldest[1]
        if id == keep then id = oldest[2] end
        if not id then return end
        forget(sizes, total, lru, prefix, id, ttl_ms)
    end
end
local function note_size(sizes, total, id, size)
    local old = tonumber(redis.call('HGET', sizes, id) or '0')
    redis.call('HSET', sizes, id, size)
    redis.call('INCRBY', total, size - old)
end
local function size_of(key, whole)  -- whole: base and state too, else the kept steps only
    local size = 0
    if whole then size = redis.call('HSTRLEN', key, 'base') + redis.call('HSTRLEN', key, 'state') end
    for slot = 0, """ + str(KEEP - 1) + """ do size = size + redis.call('HSTRLEN', key, 'kept:' .. slot) end
    return size
end
"""

# KEYS: session, lru, lock, sizes, total. ARGV: id, ttl_ms, token, state, cleared (1/0), the version the
# copy was loaded from, the version to write (base.new_version(): compare and set), the bound in bytes
# (-1: none), the key prefix, then field, record, ... of the kept steps to write.
# 0: saved; -1: the lease ran out; -2: deleted meanwhile; -3: another version is stored.
SAVE_AND_UNLOCK = _BYTES + """
if redis.call('GET', KEYS[3]) ~= ARGV[3] then return -1 end
redis.call('DEL', KEYS[3])
local v = redis.call('HGET', KEYS[1], 'version')
if not v then return -2 end
if v ~= ARGV[6] then return -3 end
local counted = redis.call('HEXISTS', KEYS[4], ARGV[1]) == 1  -- (not yet for a key of the previous version)
local grown = #ARGV[4] - redis.call('HSTRLEN', KEYS[1], 'state')
if ARGV[5] == '1' then
    grown = grown - size_of(KEYS[1], false)
    redis.call('HDEL', KEYS[1], """ + ", ".join(f"'{f}'" for f in KEPT_FIELDS) + """)
end
for i = 10, #ARGV, 2 do
    grown = grown + #ARGV[i + 1] - redis.call('HSTRLEN', KEYS[1], ARGV[i])
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('HSET', KEYS[1], 'state', ARGV[4], 'version', ARGV[7])
local now = redis.call('TIME')
redis.call('ZADD', KEYS[2], now[1] * 1000000 + now[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if counted then
    redis.call('HINCRBY', KEYS[4], ARGV[1], grown)
    redis.call('INCRBY', KEYS[5], grown)
else
    note_size(KEYS[4], KEYS[5], ARGV[1], size_of(KEYS[1], true))
end
make_room(KEYS[4], KEYS[5], KEYS[2], ARGV[9], 0, tonumber(ARGV[8]), ARGV[1], ARGV[2])
return 0
"""

# KEYS: lock. ARGV: token.
UNLOCK = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\nreturn 0"

# KEYS: session, lru, sizes, total. ARGV: id, ttl_ms, max sessions, base, state, key prefix, the bound
# in bytes (-1: none).
INSERT = _BYTES + """
local now = redis.call('TIME')
now = now[1] * 1000000 + now[2]
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - ARGV[2] * 1000)  -- their keys are gone
for _, id in ipairs(expired) do forget(KEYS[3], KEYS[4], KEYS[2], ARGV[6], id, false) end
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3]) + 1
if extra > 0 then
    local old = redis.call('ZRANGE', KEYS[2], 0, extra - 1)
    for _, id in ipairs(old) do forget(KEYS[3], KEYS[4], KEYS[2], ARGV[6], id, ARGV[2]) end
end
local size = #ARGV[4] + #ARGV[5]
make_room(KEYS[3], KEYS[4], KEYS[2], ARGV[6], size, tonumber(ARGV[7]), '', ARGV[2])
redis.call('HSET', KEYS[1], 'base', ARGV[4], 'state', ARGV[5], 'version', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], now, ARGV[1])
note_size(KEYS[3], KEYS[4], ARGV[1], size)
return 1
"""

# KEYS: session, lru, sizes, total. ARGV: id, key prefix.
REMOVE = _BYTES + """
local existed = redis.call('EXISTS', KEYS[1])
forget(KEYS[3], KEYS[4], KEYS[2], ARGV[2], ARGV[1], false)
return existed
"""

# KEYS: session. ARGV: a kept step's field.
READ_KEPT = "return redis.call('HGET', KEYS[1], ARGV[1])"

# KEYS: lru. ARGV: ttl_ms.
COUNT = """
local now = redis.call('TIME')
return redis.call('ZCOUNT', KEYS[1], now[1] * 1000000 + now[2] - ARGV[1] * 1000, '+inf')
"""

SCRIPTS = {"read": READ, "lock": LOCK_AND_READ, "save": SAVE_AND_UNLOCK, "unlock": UNLOCK, "insert": INSERT,
           "remove": REMOVE, "count": COUNT, "kept": READ_KEPT}
