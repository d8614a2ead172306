"""The province simulator's pure parts: record checks, packaging, configuration, the module entry point."""

from __future__ import annotations

import ast
import base64
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regdesk.simulators.province import codes
from regdesk.simulators.province.checks import (
    division_problem,
    domain_problem,
    homepage_host,
    normalise_homepage,
    resident_id_problem,
)
from regdesk.simulators.province.config import ConfigError, SimulatorConfig, parse_ip_range
from regdesk.simulators.province.packaging import (
    PackagingError,
    aes_decrypt,
    aes_encrypt,
    pack,
    password_hash,
    unpack,
)

KEY = b"regdesk-aes-key!"
IV = b"0102030405060708"


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("11010519491231002X", None),
        ("11010519491231002x", None),
        ("110105194912310021", "校验码错误"),
        ("110105194913310021", "出生日期无效"),
        ("11010519491231002", "身份证号码应为18位"),
    ],
)
def test_resident_id_numbers(number: str, problem: str | None) -> None:
    assert resident_id_problem(number) == problem


@pytest.mark.parametrize(
    ("province", "city", "county", "ok"),
    [
        (110000, 110100, 110108, True),
        (440000, 440300, 440305, True),
        (420000, 429000, 429004, True),  # a county-level city governed by the province directly
        (440000, None, None, True),
        (990000, None, None, False),
        (110000, 310100, None, False),
        (440000, 440300, 440105, False),
        (440000, 440000, None, False),
    ],
)
def test_division_codes_must_nest(province: int, city: int | None, county: int | None, ok: bool) -> None:
    assert (division_problem(province, city, county) is None) is ok


@pytest.mark.parametrize(
    ("domain", "ok"),
    [
        ("example.cn", True),
        ("example.com.cn", True),
        ("例子.中国", True),
        ("xn--fsqu00a.xn--fiqs8s", True),
        ("localhost", False),
        ("192.0.2.1", False),
        ("example_site.cn", False),
        ("-example.cn", False),
        ("http://example.cn", False),
        ("example.c0m", False),
    ],
)
def test_domains(domain: str, ok: bool) -> None:
    assert (domain_problem(domain) is None) is ok


@pytest.mark.parametrize(
    ("homepage", "host"),
    [
        ("http://www.example.cn/", "www.example.cn"),
        ("https://Example.CN:8443/index.html", "example.cn"),
        ("www.example.cn", "www.example.cn"),
        ("http://192.0.2.1/", "192.0.2.1"),
        ("ftp://example.cn", None),
        ("http://", None),
        ("http://example.cn:port/", None),
    ],
)
def test_homepage_hosts(homepage: str, host: str | None) -> None:
    assert homepage_host(homepage) == host


def test_homepages_compare_without_scheme_and_trailing_slash() -> None:
    assert normalise_homepage("HTTP://WWW.Example.cn/") == normalise_homepage("www.example.cn")
    assert normalise_homepage("http://example.cn/a/") != normalise_homepage("http://example.cn/b")


def test_the_password_hash_follows_the_specifications_example() -> None:
    # Specification 3-3-1: password "1234567890" and random string "abcdefghij" are hashed as "1234567890abcdefghij".
    # The expected value is from `printf 1234567890abcdefghij | openssl dgst -md5 -binary | base64`.
    assert password_hash("1234567890", "abcdefghij") == "9fq6VgG8bDFoWECeX62u2Q=="
    assert base64.b64decode(password_hash("口令", "x" * 20)) != base64.b64decode(password_hash("口令", "y" * 20))


@given(st.binary(max_size=4096), st.booleans())
def test_pack_and_unpack_are_inverse(xml: bytes, encrypt: bool) -> None:
    packed = pack("regdesk1.xml", xml, encrypt=encrypt, key=KEY, iv=IV)
    name, content = unpack(
        packed.beian_info, packed.beian_info_hash, encrypt_algorithm=packed.encrypt_algorithm, key=KEY, iv=IV
    )
    assert (name, content) == ("regdesk1.xml", xml)


@given(st.binary(max_size=1024))
def test_aes_cbc_with_pkcs5_padding_round_trips(data: bytes) -> None:
    encrypted = aes_encrypt(data, KEY, IV)
    assert len(encrypted) % 16 == 0
    assert len(encrypted) > len(data)
    assert aes_decrypt(encrypted, KEY, IV) == data


def test_decryption_with_a_wrong_key_fails_with_code_6_or_the_hash_catches_it() -> None:
    packed = pack("regdesk1.xml", b"<UploadData/>", encrypt=True, key=KEY, iv=IV)
    with pytest.raises(PackagingError) as caught:
        unpack(packed.beian_info, packed.beian_info_hash, encrypt_algorithm=1, key=b"another-aes-key!", iv=IV)
    assert caught.value.code in (codes.DECRYPTION_FAILED, codes.HASH_MISMATCH)


def test_ip_ranges_in_the_configuration() -> None:
    assert parse_ip_range("192.0.2.0/24") == (3221225984, 3221226239)
    assert parse_ip_range("192.0.2.10-192.0.2.20") == (3221225994, 3221226004)
    assert parse_ip_range("192.0.2.7") == (3221225991, 3221225991)
    with pytest.raises(ConfigError):
        parse_ip_range("192.0.2.20-192.0.2.10")
    with pytest.raises(ConfigError):
        parse_ip_range("not-an-address")


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"review": {"delay_seconds": -1}}, "review.delay_seconds"),
        ({"review": {"return_share_percent": 101}}, "return_share_percent"),
        ({"accounts": [{"isp_id": 1, "user_name": "a", "password": "b", "aes_key": "short",
                        "aes_iv": "0102030405060708", "filed_ip_ranges": []}]}, "aes_key"),
        ({"record_serial_seed": True}, "record_serial_seed"),
    ],
)  # fmt: skip
def test_bad_configuration_names_the_key(overrides: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        SimulatorConfig.from_mapping(overrides)


def test_the_code_tables_cover_what_the_simulator_produces() -> None:
    assert set(codes.SIMULATED_RESULT_CODES) <= set(codes.RESULT_CODES)
    assert codes.RESULT_CODES[1041].startswith("网站首页URL中必须包含域名")
    assert codes.RESULT_CODES[1003].startswith("网站主办者冲突")
    assert codes.RESULT_CODES[1063].startswith("ICP备案接入信息中所使用的IP地址")
    assert codes.MESSAGE_CODES[14].startswith("本次上载没有受理")


def test_the_module_entry_serves_until_sigterm(tmp_path: Path) -> None:
    config = tmp_path / "province.json"
    config.write_text('{"province": {"code": 440000}}', encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "regdesk.simulators.province", "--port", "0", "--state-dir", str(tmp_path / "state"),
         "--config", str(config)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "/ISPWebService/upDownLoad" in line
        url = line.rsplit(" ", 1)[-1].strip()
        with urllib.request.urlopen(f"{url}?wsdl", timeout=10) as response:
            assert b"isp_upload" in response.read()
        base = url.removesuffix("/ISPWebService/upDownLoad")
        with urllib.request.urlopen(f"{base}/control/config", timeout=10) as response:
            assert b'"code": 440000' in response.read()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert (tmp_path / "state" / "province.sqlite3").exists()


def test_the_module_entry_refuses_a_bad_configuration(tmp_path: Path) -> None:
    config = tmp_path / "province.json"
    config.write_text('{"province": {"code": 1}}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "regdesk.simulators.province", "--port", "0", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "province.code" in result.stderr


def test_the_simulator_imports_nothing_from_regdesk_outside_its_package() -> None:
    package = Path(__file__).resolve().parents[2] / "src/regdesk/simulators/province"
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert not name.startswith("django"), f"{path.name} imports {name}"
                if name.startswith("regdesk"):
                    assert name.startswith("regdesk.simulators.province"), f"{path.name} imports {name}"
