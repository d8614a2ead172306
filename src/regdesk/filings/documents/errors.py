"""The errors of the ICP filing's documents (photo, verification form, certificate), on the shared
`regdesk.documents.errors.DocumentError`: a stable code and a message in Chinese and English from the catalogue
below. The font's error is the shared `FontMissingError`, re-exported here.
"""

from __future__ import annotations

from regdesk.documents.errors import DocumentError, FontMissingError

__all__ = [
    "MESSAGES",
    "CertificateError",
    "CertificateFormatError",
    "CertificateKeyError",
    "CertificateSignatureError",
    "DocumentError",
    "FontMissingError",
    "PhotoError",
    "VerificationFormError",
]

# Every failure has its own stable code and a message in Chinese (the default language) and English.
MESSAGES: dict[str, tuple[str, str]] = {
    # The photo of the person in charge.
    "photo_empty": ("照片文件为空。", "The photo file is empty."),
    "photo_file_too_large": (
        "照片文件过大：最大{limit_mb}MB，实际为{actual_mb}MB。",
        "The photo file is too large: at most {limit_mb} MB, not {actual_mb} MB.",
    ),
    "photo_unreadable": (
        "无法读取照片：文件不是完整的图片。",
        "The photo cannot be read: the file is not a complete image.",
    ),
    "photo_format": (
        "照片格式应为JPEG或PNG，实际为{format}。",
        "The photo must be a JPEG or PNG image, not {format}.",
    ),
    "photo_dimensions_too_large": (
        "照片像素过多：最多{limit_megapixels}百万像素。",
        "The photo has too many pixels: at most {limit_megapixels} megapixels.",
    ),
    "photo_not_colour": (
        "照片应为彩色照片，这张是黑白（灰度）照片。",
        "The photo must be in colour; this one is black and white (grey-scale).",
    ),
    "photo_too_small": (
        "照片尺寸应至少为{min_width}×{min_height}像素（宽×高，横向），实际为{width}×{height}像素。",
        "The photo must be at least {min_width}×{min_height} pixels (width × height, landscape), not {width}×{height}.",
    ),
    "photo_no_face": (
        "照片中未检测到正面人脸：请拍摄主体负责人的正面免冠彩色照片。",
        "No frontal face was found in the photo: take a full-face colour photo of the person in charge.",
    ),
    "photo_several_faces": (
        "照片中检测到{count}张人脸，应只有主体负责人一人。",
        "The photo shows {count} faces; it must show the person in charge alone.",
    ),
    "photo_cannot_fit": (
        "照片无法压缩到接口限制（编码后{limit_kb}KB）以内，即使缩小到{min_width}×{min_height}像素也不行：请重新拍摄。",
        "The photo cannot be compressed within the interface's limit ({limit_kb} KB encoded), "
        "even at {min_width}×{min_height} pixels: take it again.",
    ),
    # The verification form (核验单).
    "form_field_missing": ("核验单缺少必填项：{field}。", "The verification form lacks a required field: {field}."),
    "form_field_invalid": (
        "核验单的{field}不正确：{reason_zh}。",
        "The verification form's {field} is wrong: {reason_en}.",
    ),
    "form_glyph_missing": (
        "核验单的{field}含有字体无法显示的字符，无法生成。",
        "The verification form's {field} holds a character the font cannot show; the form cannot be made.",
    ),
    "form_too_large": (
        "生成的核验单超过接口限制（编码后{limit_kb}KB），实际为{actual_kb}KB。",
        "The verification form exceeds the interface's limit ({limit_kb} KB encoded): it is {actual_kb} KB.",
    ),
    "seal_unreadable": (
        "无法读取接入服务提供者的印章图片（应为PNG图片）。",
        "The provider's seal image cannot be read (it must be a PNG image).",
    ),
    # The electronic certificate (bazs.cert).
    "certificate_malformed": (
        "电子证书文件格式不正确：{reason_zh}。",
        "The electronic certificate file is malformed: {reason_en}.",
    ),
    "certificate_signature_invalid": (
        "电子证书的签名无效：文件已被改动，或不是由本接入服务提供者签发。",
        "The electronic certificate's signature is invalid: the file was altered or not issued by this provider.",
    ),
    "certificate_other_key": (
        "电子证书由另一把密钥签发（指纹{fingerprint}），不是所给的密钥。",
        "The electronic certificate was signed by another key (fingerprint {fingerprint}), not the one given.",
    ),
    "certificate_payload_invalid": (
        "电子证书内容不正确：{field}：{reason_zh}。",
        "The electronic certificate's content is wrong: {field}: {reason_en}.",
    ),
    "certificate_key_invalid": (
        "签名密钥不可用：{reason_zh}。",
        "The signing key cannot be used: {reason_en}.",
    ),
}


class PhotoError(DocumentError):
    """The photo of the person in charge is refused."""

    catalogue = MESSAGES


class VerificationFormError(DocumentError):
    """The verification form cannot be generated from the data given."""

    catalogue = MESSAGES


class CertificateError(DocumentError):
    """The electronic certificate cannot be issued or does not verify."""

    catalogue = MESSAGES


class CertificateFormatError(CertificateError):
    """The certificate file is not in the documented format."""


class CertificateSignatureError(CertificateError):
    """The certificate's signature does not verify with the key given."""


class CertificateKeyError(CertificateError):
    """The signing or verification key is missing, unreadable or not an Ed25519 key."""
