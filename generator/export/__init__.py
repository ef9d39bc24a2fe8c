"""`python3 -m generator export`: a self-contained copy of the generated
headers and the runtime for a chosen set of devices and transports, with
Kconfig, build glue, a configuration header and a manifest, for vendoring
into an RTOS tree."""
