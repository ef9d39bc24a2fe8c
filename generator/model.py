"""The validated description of VirtIO that templates render."""
from dataclasses import dataclass, field
from typing import List, Optional

# Field type name -> (C type, size in bytes, byte order)
SCALAR_TYPES = {
    "u8": ("uint8_t", 1, "none"),
    "le16": ("uint16_t", 2, "le"),
    "le32": ("uint32_t", 4, "le"),
    "le64": ("uint64_t", 8, "le"),
    "be16": ("uint16_t", 2, "be"),
    "be32": ("uint32_t", 4, "be"),
    "be64": ("uint64_t", 8, "be"),
    "virtio16": ("uint16_t", 2, "virtio"),
    "virtio32": ("uint32_t", 4, "virtio"),
    "virtio64": ("uint64_t", 8, "virtio"),
}

BYTE_ORDER_TEXT = {
    "none": "byte",
    "le": "little-endian",
    "be": "big-endian",
    "virtio": "LE (modern) / guest-native (legacy)",
}


@dataclass
class Feature:
    name: str          # without prefix
    macro: str
    bit: int
    section: str
    doc: str
    legacy: bool = False
    aliases: List[str] = field(default_factory=list)


@dataclass
class Value:
    name: str
    macro: str
    value: int
    section: str
    doc: str
    label: str = ""


@dataclass
class Group:
    group: str
    kind: str          # enum | mask | bit | value
    prefix: str
    section: str
    doc: str
    values: List[Value]
    wide: bool = False  # needs 64 bits
    line: int = field(default=0, compare=False, repr=False)   # where the spec defines it


@dataclass
class StructField:
    name: str
    type: str          # spec type text
    base: str          # scalar type name or "struct NAME"
    count: Optional[int]   # None: not an array; 0: flexible array
    offset: int
    size: int          # bytes of the whole field (0 for a flexible array)
    elem_size: int
    align: int
    c_type: str
    byte_order: str    # none | le | be | virtio | struct
    doc: str
    feature: Optional[str]      # full macro name of the guarding feature
    reserved: bool
    access: str        # r | rw | w
    struct: Optional["Struct"] = None   # when base is a struct
    line: int = field(default=0, compare=False, repr=False)   # where the spec defines it

    @property
    def is_flexible(self):
        return self.count == 0

    @property
    def c_decl(self):
        if self.count is None:
            return f"{self.c_type} {self.name}"
        if self.count == 0:
            return f"{self.c_type} {self.name}[]"
        return f"{self.c_type} {self.name}[{self.count}]"


@dataclass
class Struct:
    name: str
    section: str
    doc: str
    size: int
    align: int
    config: bool
    fields: List[StructField]
    header: str = ""
    line: int = field(default=0, compare=False, repr=False)   # where the spec defines it

    @property
    def packed(self):
        """Natural alignment would pad the end: the layout needs packing."""
        return self.size % self.align != 0


@dataclass
class Register:
    name: str
    macro: str
    spec_name: str
    offset: int
    width: int
    access: str
    versions: List[int]
    section: str
    doc: str


@dataclass
class RegisterBlock:
    block: str
    prefix: str
    section: str
    doc: str
    versions: List[int]
    regs: List[Register]
    line: int = field(default=0, compare=False, repr=False)   # where the spec defines it


@dataclass
class Device:
    id_name: str       # e.g. BLOCK
    id_macro: str      # e.g. VIRTIO_ID_BLOCK
    id_value: int
    name: str          # e.g. blk
    line: int = field(default=0, compare=False, repr=False)   # where the spec defines it


@dataclass
class SpecFile:
    path: str          # relative, with forward slashes
    title: str
    section: str
    header: str
    doc: str
    device: Optional[Device] = None
    device_ids: Optional[Group] = None
    feature_ranges: Optional[dict] = None
    feature_prefix: str = ""
    feature_section: str = ""
    features: List[Feature] = field(default_factory=list)
    constants: List[Group] = field(default_factory=list)
    structs: List[Struct] = field(default_factory=list)
    registers: List[RegisterBlock] = field(default_factory=list)
    includes: List[str] = field(default_factory=list)   # headers this one needs

    @property
    def guard(self):
        return "VIRTIO_GEN_" + self.header.upper() + "_H"

    @property
    def config_structs(self):
        return [s for s in self.structs if s.config]


@dataclass
class Spec:
    files: List[SpecFile]
    device_ids: Group
    transport_ranges: List[tuple]
    device_ranges: List[tuple]
    ranges_section: str

    @property
    def transport_features(self):
        return [f for sf in self.files if sf.device is None for f in sf.features]

    @property
    def device_files(self):
        return [sf for sf in self.files if sf.device is not None]

    @property
    def structs(self):
        return [s for sf in self.files for s in sf.structs]

    @property
    def groups(self):
        return [g for sf in self.files for g in sf.constants]
