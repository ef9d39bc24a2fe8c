/*
 * The packed ring's common case, inline: add of one buffer, kick_prepare,
 * get (the twin of virtqueue_fast.h). Speed builds map vqp_add,
 * vqp_kick_prepare and vqp_get to these (virtqueue.h, VIRTQUEUE_INLINE),
 * so a driver on a packed queue pays no calls either; the out-of-line
 * functions in virtqueue_packed.c are these same bodies. Anything
 * unusual (a chain, a full or broken queue, a used descriptor that fails
 * a check, the end of the ring) goes to the out-of-line half, which
 * checks again and says what is wrong. Internal to the runtime.
 */
#ifndef VIRTIO_VIRTQUEUE_PACKED_FAST_H
#define VIRTIO_VIRTQUEUE_PACKED_FAST_H

#ifndef VIRTIO_VIRTQUEUE_FAST_H
#error "include <virtio/virtqueue.h>"
#endif

#define VQP_F_AVAIL (1u << VRING_PACKED_DESC_F_AVAIL)
#define VQP_F_USED (1u << VRING_PACKED_DESC_F_USED)
#define VQP_F_BOTH (VQP_F_AVAIL | VQP_F_USED)
#define VQP_WRAP_CTR (1u << VRING_PACKED_EVENT_F_WRAP_CTR)
/* off_wrap and the 2-bit flags of an event structure, read as one
 * little-endian 32-bit word */
#define VQP_EVENT_BITS 0x3ffffu

/* The out-of-line halves. */
int vqp_add_chain(struct virtqueue_packed *q, const struct virtio_buf *bufs,
		  unsigned n_out, unsigned n_in, void *token);
int vqp_get_slow(struct virtqueue_packed *q, void **token, uint32_t *len);
bool vqp_kick_slow(struct virtqueue_packed *q, uint32_t w, uint32_t added);
void vqp_new_lap(struct virtqueue_packed *q);
struct vring_packed_desc *vqp_get_tail(struct virtqueue_packed *q,
				       uintptr_t next);

/* The device's event structure (two 16-bit fields) read as one word. */
typedef uint32_t __attribute__((may_alias)) vqp_u32_alias;

/* Packed rings exist only for modern devices: always little-endian. */
static inline uint16_t vqp_le16(uint16_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap16(v) : v;
}
static inline uint32_t vqp_le32(uint32_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap32(v) : v;
}
static inline uint64_t vqp_le64(uint64_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap64(v) : v;
}

/* Fills a descriptor but its flags (out of line when optimising for
 * size: add_chain has three of them). */
#ifdef __OPTIMIZE_SIZE__
#define VQP_FILL_INLINE __attribute__((noinline, unused))
#else
#define VQP_FILL_INLINE inline
#endif
static VQP_FILL_INLINE void vqp_fill(struct vring_packed_desc *d, const void *addr,
			    uint32_t len, uint32_t id)
{
	d->addr = vqp_le64(virtio_dma_addr(addr));
	d->len = vqp_le32(len);
	d->id = vqp_le16((uint16_t)id);
}

/* One buffer: every check, no loop, the descriptor's flags last. (A free
 * id is room for a descriptor, and a broken queue has none: one test for
 * "room and not broken".) */
static inline __attribute__((always_inline)) int
vqp_add_fast(struct virtqueue_packed *q, const struct virtio_buf *bufs,
	     unsigned n_out, unsigned n_in, void *token)
{
	struct vqp_id *r = q->free;
	uint32_t limit;

	if (__builtin_expect(n_out + n_in == 1 && n_in <= 1 && token &&
				     r != NULL &&
				     !__builtin_add_overflow(
					     n_in ? bufs[0].len : 0, 1, &limit),
			     1)) {
		struct vring_packed_desc *d = q->avail;
		uint32_t lap = q->avail_flags;

		vqp_fill(d, bufs[0].addr, bufs[0].len, r->self);
		q->free = r->next;
		r->token = token;
		r->limit = limit;
		r->span = sizeof(*d);
		q->added += sizeof(*d);
		if (__builtin_expect(d + 1 == q->ring_end, 0)) {
			q->avail = q->ring;
			q->avail_flags = lap ^ VQP_F_BOTH;
			vqp_new_lap(q);
		} else {
			q->avail = d + 1;
		}
		virtio_port_wmb(); /* the descriptor before its flags */
		virtio_wr16(&d->flags, vqp_le16((uint16_t)(lap | n_in *
							   VRING_DESC_F_WRITE)));
		return VIRTIO_OK;
	}
	return vqp_add_chain(q, bufs, n_out, n_in, token);
}

/*
 * Applies the device's event suppression to the descriptors added since
 * the last call (they are visible already). The device's off_wrap and
 * flags are read as one word; a descriptor-specific request (EVENT_IDX)
 * seen before has its place in our lap cached (ev_end, recomputed when
 * our lap changes), so the common case is one compare: did the `added`
 * bytes of descriptors before avail pass it? (A negative distance never
 * counts, nor does anything with none added. More than a lap added
 * without a kick needs a device that used what it was waiting for: no
 * kick to miss.)
 */
static inline __attribute__((always_inline)) bool
vqp_kick_prepare_fast(struct virtqueue_packed *q)
{
	uint32_t added = q->added, w;

	q->added = 0;
	virtio_port_mb(); /* the chains' flags before reading the device's wish */
	w = vqp_le32(*(const volatile vqp_u32_alias *)(const void *)q->dev_event);
	w &= VQP_EVENT_BITS;
	if (__builtin_expect(w == q->ev_word, 1))
		return (uintptr_t)q->avail - q->ev_end < added;
	/* ENABLE or DISABLE; DESC without EVENT_IDX or the reserved mode 3
	 * are not honoured (kick: the safe side). */
	if ((w ^ q->kick_expect) >= VQP_WRAP_CTR << 1)
		return added && w >> 16 != VRING_PACKED_EVENT_FLAG_DISABLE;
	return vqp_kick_slow(q, w, added); /* a new DESC request */
}

/* get() once chain `id` (r, ending before `next`) passed every check:
 * its token and length out, the id back on the free list, `used` past
 * the chain. (Both halves of get end here.) */
static inline __attribute__((always_inline)) int
vqp_get_done(struct virtqueue_packed *q, struct vqp_id *r, uint32_t id,
	     uintptr_t next, void **token, uint32_t *len, uint32_t ulen)
{
	*token = r->token;
	*len = ulen;
	r->limit = 0;
	r->next = q->free; /* (over the token) */
	r->self = id;      /* (over span) */
	q->free = r;
	q->used = __builtin_expect(next >= (uintptr_t)q->get_slow_at, 0)
			  ? vqp_get_tail(q, next)
			  : (struct vring_packed_desc *)next;
	return 1;
}

/*
 * A used descriptor of this lap names a buffer id: in range, in flight
 * (limit 0 otherwise) and len within its writable bytes, or the slow half
 * looks again and says what is wrong. Then the id goes back on the free
 * list and `used` skips the chain's descriptors.
 */
static inline __attribute__((always_inline)) int
vqp_get_fast(struct virtqueue_packed *q, void **token, uint32_t *len)
{
	struct vring_packed_desc *d = q->used;
	uint32_t f = vqp_le16(virtio_rd16(&d->flags)), id, ulen;
	struct vqp_id *r;

	f = (f ^ q->used_expect) & VQP_F_BOTH; /* bits that differ */
	if (__builtin_expect(f != 0, 0)) /* ours, not used yet: nothing new */
		return f == VQP_F_USED ? 0 : vqp_get_slow(q, token, len);
	virtio_port_rmb(); /* flags before the id and len they cover */
	id = vqp_le16(virtio_rd16(&d->id));
	ulen = vqp_le32(virtio_rd32(&d->len));
	if (__builtin_expect(id >= q->size, 0))
		return vqp_get_slow(q, token, len);
	r = &q->id[id];
	if (__builtin_expect(ulen >= r->limit, 0))
		return vqp_get_slow(q, token, len);
	/* (an integer: a chain may end past the ring) */
	return vqp_get_done(q, r, id, (uintptr_t)d + r->span, token, len,
			    ulen);
}

#endif /* VIRTIO_VIRTQUEUE_PACKED_FAST_H */
