"""Size limits of the MIIT enterprise interface for the attachments these components produce.

The interface (v3.0, field `Fjnr`) says: "数据经base64编码后的内容，单条信息大小，真实性核验单不超过150K；……
当面核验拍摄照片不超过100K".
It is ambiguous whether the limit applies to the file or to its base64 text, and whether K means 1,000 or 1,024
bytes; following the stricter reading (DOMAIN.md's rule for disagreements), a limit here is on the base64 text and K
is 1,000, so that an attachment we produce is accepted under every reading.
"""

from __future__ import annotations

# Source: MIIT enterprise interface v3.0, Fjnr: "真实性核验单不超过150K" (stricter reading, see above).
VERIFICATION_FORM_LIMIT_ENCODED = 150 * 1000
# Source: MIIT enterprise interface v3.0, Fjnr: "当面核验拍摄照片不超过100K" (stricter reading, see above).
PHOTO_LIMIT_ENCODED = 100 * 1000


def base64_length(size: int) -> int:
    """The length of the base64 text (without line breaks) of `size` bytes."""
    return 4 * ((size + 2) // 3)


def largest_raw_size(encoded_limit: int) -> int:
    """The largest number of bytes whose base64 text stays within `encoded_limit` characters."""
    return (encoded_limit // 4) * 3
