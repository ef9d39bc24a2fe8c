/* Error names for logs and test output. */
#include <virtio/virtio.h>

const char *virtio_strerror(int err)
{
	switch (err) {
	case VIRTIO_OK: return "ok";
	case VIRTIO_ENODEV: return "no device in slot";
	case VIRTIO_EMAGIC: return "bad magic value";
	case VIRTIO_EVERSION: return "unknown transport version";
	case VIRTIO_ETIMEDOUT: return "device timed out";
	case VIRTIO_EINVAL: return "invalid argument";
	case VIRTIO_ENOMEM: return "out of DMA memory";
	case VIRTIO_ENOSPC: return "no free descriptors";
	case VIRTIO_ENOVERSION1: return "modern device without VERSION_1";
	case VIRTIO_EFEATURES: return "device rejected features";
	case VIRTIO_ENOQUEUE: return "queue does not exist";
	case VIRTIO_EQUEUEBUSY: return "queue already in use";
	case VIRTIO_ENEEDSRESET: return "device needs reset";
	case VIRTIO_EFAILED: return "device failed";
	case VIRTIO_EBROKEN: return "queue broken";
	case VIRTIO_EUSEDID: return "used id out of range";
	case VIRTIO_EUSEDNOTHEAD: return "used id not a chain head";
	case VIRTIO_EUSEDNOTINFLIGHT: return "used id not in flight";
	case VIRTIO_EUSEDLEN: return "used len too large";
	case VIRTIO_EUSEDIDX: return "used idx moved too far";
	case VIRTIO_ECONFIG: return "bad config value";
	case VIRTIO_ECONFIGUNSTABLE: return "config generation unstable";
	case VIRTIO_EIO: return "device I/O error";
	case VIRTIO_EUNSUPP: return "request unsupported";
	case VIRTIO_ERO: return "device is read-only";
	}
	return "unknown error";
}
