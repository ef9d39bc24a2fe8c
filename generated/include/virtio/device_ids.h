/*
 * Device IDs (VirtIO 1.2 section 5).
 *
 * Generated from spec/device_ids.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_DEVICE_IDS_H
#define VIRTIO_GEN_DEVICE_IDS_H

#include <stdint.h>

/* Device ids (section 5). */
#define VIRTIO_ID_NET 1 /* network card (5.1) */
#define VIRTIO_ID_BLOCK 2 /* block device (5.2) */
#define VIRTIO_ID_CONSOLE 3 /* console (5.3) */
#define VIRTIO_ID_RNG 4 /* entropy source (5.4) */
#define VIRTIO_ID_BALLOON 5 /* memory balloon (traditional) (5.5) */
#define VIRTIO_ID_IOMEM 6 /* ioMemory (5) */
#define VIRTIO_ID_RPMSG 7 /* rpmsg (5) */
#define VIRTIO_ID_SCSI 8 /* SCSI host (5.6) */
#define VIRTIO_ID_9P 9 /* 9P transport (5) */
#define VIRTIO_ID_MAC80211_WLAN 10 /* mac80211 wlan (5) */
#define VIRTIO_ID_RPROC_SERIAL 11 /* rproc serial (5) */
#define VIRTIO_ID_CAIF 12 /* CAIF (5) */
#define VIRTIO_ID_MEMORY_BALLOON 13 /* memory balloon (5) */
#define VIRTIO_ID_GPU 16 /* GPU device (5.7) */
#define VIRTIO_ID_CLOCK 17 /* timer/clock device (5) */
#define VIRTIO_ID_INPUT 18 /* input device (5.8) */
#define VIRTIO_ID_VSOCK 19 /* socket device (5.10) */
#define VIRTIO_ID_CRYPTO 20 /* crypto device (5.9) */
#define VIRTIO_ID_SIGNAL_DIST 21 /* signal distribution module (5) */
#define VIRTIO_ID_PSTORE 22 /* pstore device (5) */
#define VIRTIO_ID_IOMMU 23 /* IOMMU device (5.13) */
#define VIRTIO_ID_MEM 24 /* memory device (5.15) */
#define VIRTIO_ID_SOUND 25 /* audio device (5.14) */
#define VIRTIO_ID_FS 26 /* file system device (5.11) */
#define VIRTIO_ID_PMEM 27 /* PMEM device (5.19) */
#define VIRTIO_ID_RPMB 28 /* RPMB device (5.12) */
#define VIRTIO_ID_MAC80211_HWSIM 29 /* mac80211 hwsim wireless simulation device (5) */
#define VIRTIO_ID_VIDEO_ENCODER 30 /* video encoder device (5) */
#define VIRTIO_ID_VIDEO_DECODER 31 /* video decoder device (5) */
#define VIRTIO_ID_SCMI 32 /* SCMI device (5.17) */
#define VIRTIO_ID_NITRO_SEC_MOD 33 /* Nitro secure module (5) */
#define VIRTIO_ID_I2C_ADAPTER 34 /* I2C adapter (5.16) */
#define VIRTIO_ID_WATCHDOG 35 /* watchdog (5) */
#define VIRTIO_ID_CAN 36 /* CAN device (5) */
#define VIRTIO_ID_PARAM_SERV 38 /* parameter server (5) */
#define VIRTIO_ID_AUDIO_POLICY 39 /* audio policy device (5) */
#define VIRTIO_ID_BT 40 /* Bluetooth device (5) */
#define VIRTIO_ID_GPIO 41 /* GPIO device (5.18) */
#define VIRTIO_ID_RDMA 42 /* RDMA device (5) */

#endif /* VIRTIO_GEN_DEVICE_IDS_H */
