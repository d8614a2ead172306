"""The specification's code tables, the province simulator's own copy.

Two tables of the MIIT enterprise interface v3.0:

* ``MESSAGE_CODES`` — the return status ``msg_code`` of every method (section 3-4, 接口返回状态代码表). Codes 0–15 and
  999 are also listed in the documentation of the response XSDs; the text of the specification in
  ``miit-interface/interface-spec-v3.0.txt`` lost the code column of its tables in the conversion, so the numbers of
  16–22, 901 and 902 follow the row order of the original table.
* ``RESULT_CODES`` — the data-processing result codes ``Jgdm`` delivered in BAJG download files (section 3-5,
  数据处理结果代码表): ICP 1001–1068, IP 2001–2056, domain 3001–3037, file-level 5001–5011, each category ending
  with its "operation successful" (x998) and "other error" (x999) rows. The numbers are the row positions within
  each category of the original table.

``SIMULATED_RESULT_CODES`` and ``NOT_SIMULATED_RESULT_CODES`` say which data-processing codes the simulator
produces, and why the others are left out.
"""

from __future__ import annotations

from typing import Final

# Section 3-4, 接口返回状态代码表 (msg_code).
SUCCESS: Final = 0
DOWNLOAD_FINISHED: Final = 1
NOTHING_TO_DOWNLOAD: Final = 2
MORE_TO_DOWNLOAD: Final = 3
USER_NAME_WRONG: Final = 4
PASSWORD_WRONG: Final = 5
DECRYPTION_FAILED: Final = 6
HASH_MISMATCH: Final = 7
DECOMPRESSION_FAILED: Final = 8
ENCRYPT_ALGORITHM_WRONG: Final = 9
HASH_ALGORITHM_WRONG: Final = 10
COMPRESSION_FORMAT_WRONG: Final = 11
AUTHENTICATION_FAILED: Final = 12
NOT_THIS_PROVINCE: Final = 13
SEQUENCE_GAP: Final = 14
TOO_MANY_PENDING: Final = 15
RANDOM_VALUE_TOO_SHORT: Final = 16
FILE_COUNT_WRONG: Final = 17
FILE_TOO_LARGE: Final = 18
PERMISSION_NOT_OPEN: Final = 19
OUTSIDE_TIME_WINDOW: Final = 20
FILE_NAME_EMPTY: Final = 21
FILING_PASSWORD_ATTEMPTS: Final = 22
MAINTENANCE_UPLOAD: Final = 901
MAINTENANCE_DOWNLOAD: Final = 902
OTHER_ERROR: Final = 999

MESSAGE_CODES: Final[dict[int, str]] = {
    0: "操作成功",
    1: "操作成功，数据已经下载完毕",
    2: "目前服务器端没有可以下载的数据",
    3: "服务器端数据需要下载，请继续调用本接口进行下载",
    4: "用户名错误",
    5: "密码错误",
    6: "解密失败",
    7: "哈希值验证未通过",
    8: "解压缩失败",
    9: "加密算法类型错误",
    10: "Hash算法类型错误",
    11: "压缩格式错误",
    12: "认证信息错误，服务器拒绝响应",
    13: "非本省ISP，服务器拒绝响应",
    14: "本次上载没有受理，请首先上载漏报的数据，然后再上载本次数据",
    15: "本次上载没有受理，已上报的数据文件已超过最大受理数量，请稍后再提交",
    16: "认证错误，随机数小于20个字符，服务器拒绝响应",
    17: "您上报的备案数据文件数量不符合要求（每次必须上报1个文件），服务器拒绝受理，请调整后重新上报",
    18: "上报的备案数据文件过大，服务器拒绝响应，请将上报的备案数据文件调整为50MB内并重新上报",
    19: "您的报备权限未开放，请联系所在省通信管理局",
    20: "请您在规定的时间段内进行报备，报备时间为：",
    21: "回调响应文件名称不能为空，请核实后继续调用",
    22: "备案密码校验超过X次，请仔细核对备案密码",
    901: "系统正在维护中，您的报备请求未被受理，请稍后重新报备",
    902: "系统正在维护中，您的下载请求未被受理，请稍后重新下载",
    999: "其他未知错误",
}

# Section 3-5, 数据处理结果代码表 (Jgdm), the codes the simulator produces by name.
APPROVED: Final = 1001
RETURNED: Final = 1002
OWNER_CONFLICT: Final = 1003
INVALID_DOMAIN: Final = 1004
DOMAIN_CONFLICT: Final = 1005
INVALID_IP: Final = 1006
INVALID_CERTIFICATE: Final = 1008
INVALID_EMAIL: Final = 1009
INVALID_OFFICE_PHONE: Final = 1010
INVALID_MOBILE: Final = 1011
INVALID_MSN: Final = 1012
INVALID_QQ: Final = 1013
INVALID_ID_NUMBER: Final = 1015
RECORD_NOT_FOUND: Final = 1016
FILING_PASSWORD_WRONG: Final = 1018
DIVISION_CODES_WRONG: Final = 1019
HOMEPAGE_CONFLICT: Final = 1021
HOMEPAGE_FORMAT_WRONG: Final = 1022
ONLY_ACCESS: Final = 1025
OWNER_CANCELLATION_CONFLICT: Final = 1027
DUPLICATE_ACCESS: Final = 1029
WEBSITE_CANCELLATION_CONFLICT: Final = 1030
WEBSITE_OFFICE_PHONE_MISSING: Final = 1031
ACCESS_CANCELLATION_CONFLICT: Final = 1032
DOMAIN_ALREADY_FILED: Final = 1039
HOMEPAGE_WITHOUT_DOMAIN: Final = 1041
OWNER_BEING_CANCELLED: Final = 1042
WEBSITE_BEING_CANCELLED: Final = 1043
OWNER_HEAD_NAME_MISSING: Final = 1044
NOT_OWN_ACCESS: Final = 1047
NOT_OWN_RECORD: Final = 1048
OWNER_CANCELLED: Final = 1049
WEBSITE_CANCELLED: Final = 1050
OWNER_NOT_FOUND: Final = 1058
WEBSITE_NOT_FOUND: Final = 1059
IP_OUTSIDE_FILED_RANGES: Final = 1063
DOMAIN_BLACKLISTED: Final = 1064
OWNER_BLACKLISTED: Final = 1065
SCHEMA_INVALID: Final = 5001
REQUESTER_MISMATCH: Final = 5003
VERSION_WRONG: Final = 5004
NOT_OPEN: Final = 5011

RESULT_CODES: Final[dict[int, str]] = {
    # ICP数据处理类
    1001: "管局审核通过",
    1002: "管局审核拒绝",
    1003: "网站主办者冲突，请核实后再次报备",
    1004: "无效域名，请核实后再次报备",
    1005: "域名冲突，该域名在备案信息库中已存在，请核实后再次报备",
    1006: "无效IP，请核实后再次报备",
    1007: "无效联系方式，请核实后再次报备",
    1008: "无效证件，请核实后再次报备",
    1009: "无效邮箱，请核实后再次报备",
    1010: "无效办公电话，请核实后再次报备",
    1011: "无效手机号码，请核实后再次报备",
    1012: "无效MSN，请核实后再次报备",
    1013: "无效QQ，请核实后再次报备",
    1014: "无效主办单位性质，请核实后再次报备",
    1015: "无效身份证号码，请核实后再次报备",
    1016: "备案申请中的数据在备案信息库中不存在，请核实后再次报备",
    1017: "备案变更中，审核通过后可再次申请变更",
    1018: "ICP备案密码错误，请核实后再次报备",
    1019: "省市县代码错误，请核实后再次报备",
    1020: "网站名称冲突，请核实后再次报备",
    1021: "网站首页地址冲突，在备案信息库中已存在该首页地址，请核实后再次报备",
    1022: "网站首页地址格式错误，请核实后再次报备",
    1023: "备案申请中的IP数据在备案信息库中不存在，请核实后再次报备",
    1024: "备案信息中的IP地址冲突，请核实后再次报备",
    1025: "该网站只有一个接入，不能取消该接入",
    1026: "注销理由代码错误，请核实后再次报备",
    1027: "注销主体冲突，无需重复提交该主体的注销申请",
    1028: "ICP用户名错误，请核实后再次报备",
    1029: "同一个网站不允许有相同的接入，请核实后再次报备",
    1030: "注销网站冲突，无需重复提交该网站的注销申请",
    1031: "网站负责人办公电话不能为空，请核实后再次报备",
    1032: "接入商已经对该网站提出取消接入请求，无需重复提交",
    1033: "无效的前置或专项审批内容类型，请核实后再次报备",
    1034: "无效网站服务内容，请核实后再次报备",
    1035: "无效网站接入方式，请核实后再次报备",
    1036: "无效服务器放置地点，请核实后再次报备",
    1037: "该网站已经报备，无需重复报备",
    1038: "该接入已经报备，无需重复报备",
    1039: "该备案信息中的网站域名已经报备，无需重复报备",
    1040: "该备案接入信息中的IP信息已经报备，无需重复报备",
    1041: "网站首页URL中必须包含域名中的其中一项，请核实后再次报备",
    1042: "主体正在注销中，不允许注销网站",
    1043: "网站正在注销中，不允许注销主体",
    1044: "主体负责人姓名不能为空",
    1045: "接入商只能到其所在省通信管理局系统进行ICP备案信息的报备",
    1046: "变更备案时不能改变主体所在省，如果需要修改，请先申请注销主体，然后重新报备",
    1047: "只能取消本接入商的接入信息，请核实后再次报备",
    1048: "您试图操作的不是您接入的备案，这种操作是非法的，请核实后再次报备",
    1049: "主体已注销，您的请求被拒绝",
    1050: "网站已注销，您的请求被拒绝",
    1051: "同一个接入商对同一个主体变更备案申请超过最大数，请稍后再试",
    1052: "您所提交的请求在原系统中正在受理，请稍后提交",
    1053: "您所提交的请求的单位已经被删除  请确认",
    1054: "报备单位无效",
    1055: "核验单提交信息不是该备案核验单，请确认",
    1056: "附件格式类型代码错误，请核实后再次报备",
    1057: "附件用途类型代码错误，请核实后再次报备",
    1058: "主体信息不存在",
    1059: "网站信息不存在",
    1060: "核验单信息成功入库",
    1061: "核验单用途类型与报备标识不匹配",
    1062: "ICP接入信息比对IP库信息成功",
    1063: "ICP备案接入信息中所使用的IP地址与你单位IP地址备案中报备的IP信息不一致，请核实后再次提交",
    1064: "“XX”网站的“XX域名”在黑名单中，请核实后再次报备",
    1065: "主体在黑名单中，请核实后再次报备",
    1066: "网站语言类别错误，请核实后再次报备",
    1067: "网站备案号或主键对应多个网站，请核实后再报备",
    1068: "网站备案号或主键对应多个缩略信息，请核实后再报备",
    1999: "其他错误",
    # IP数据处理类
    2001: "没有此报备单位，请核实后再次报备",
    2002: "报备信息中的起始IP大于终止IP，请核实后再次报备",
    2003: "此IP段已报备，请核实后再次报备",
    2004: "此IP广播已经报备，请核查后再次报备",
    2005: "此IP段未报备来源信息，请首先报备来源信息",
    2006: "报备信息中的起始IP不是合法IP地址，请核实后再次报备",
    2007: "报备信息中的终止IP不是合法IP地址",
    2008: "报备信息中的网关地址不是合法IP地址，请核实后再次报备",
    2009: "报备信息中的单位分类不正确，请核实后再次报备",
    2010: "报备信息中的分配使用方式不能为空，请核实后再次报备",
    2011: "报备信息中的省市县信息错误，请核实后再次报备",
    2012: "报备信息中的电话号码不是合法的电话号码，请核实后再次报备",
    2013: "报备信息中的Email不是有效的电子邮箱，请核实后再次报备",
    2014: "报备信息中的起始IP不能为空，请核实后再次报备",
    2015: "报备信息中的终止IP不能为空，请核实后再次报备",
    2016: "报备信息中的广播单位不能为空，请核实后再次报备",
    2017: "报备信息中的广播单位不存在，请核实后再次报备",
    2018: "报备信息中的申请广播单位不存在，请核实后再次报备",
    2019: "报备信息中的单位性质无效，请核实后再次报备",
    2020: "报备信息中的单位行业分类无效，请核实后再次报备",
    2021: "报备信息中的IP使用方式无效，请核实后再次报备",
    2022: "报备信息中的经营许可证不能为空，请核实后再次报备",
    2023: "报备信息中的单位行政级别无效，请核实后再次报备",
    2024: "报备信息中的省信息无效，请核实后再次报备",
    2025: "报备信息中的市信息无效，请核实后再次报备",
    2026: "报备信息中的县信息无效，请核实后再次报备",
    2027: "报备信息中的报备单位不能为空，请核实后再次报备",
    2028: "报备信息中的来源单位不能为空，请核实后再次报备",
    2029: "报备信息中的来源单位不正确，请核实后再次报备",
    2030: "报备信息中的使用时间不能为空，请核实后再次报备",
    2031: "报备信息中的单位名称不能为空，请核实后再次报备",
    2032: "报备信息中的IP使用方式不能为空，请核实后再次报备",
    2033: "报备信息中的域名跳转不能为空，请核实后再次报备",
    2034: "报备信息中的单位性质不能为空，请核实后再次报备",
    2035: "报备信息中的单位分类不能为空，请核实后再次报备",
    2036: "报备信息中的单位详细地址不能为空，请核实后再次报备",
    2037: "报备信息中的省信息不能为空，请核实后再次报备",
    2038: "报备信息中的市信息不能为空，请核实后再次报备",
    2039: "报备信息中的联系人电话不能为空，请核实后再次报备",
    2040: "报备信息中的联系人姓名不能为空，请核实后再次报备",
    2041: "报备信息中的分配使用方式无效，请核实后再次报备",
    2042: "报备信息中的联系人邮件不能为空，请核实后再次报备",
    2043: "报备信息中的网关IP地址不能为空，请核实后再次报备",
    2044: "报备信息中的网关物理地址不能为空，请核实后再次报备",
    2045: "报备信息中的来源单位名称不能为空，请核实后再次报备",
    2046: "报备信息中的来源单位类型不能为空，请核实后再次报备",
    2047: "报备信息中的分配对象不能为空，请核实后再次报备",
    2048: "报备信息中的分配单位不存在，请核实后再次报备",
    2049: "此信息已经报备，请核实后再次报备",
    2050: "分配和使用单位不能相同，请核实后再次报备",
    2051: "无效的广播报备单位",
    2052: "报备信息中的来源单位和请求单位不能相同，请核实后再次报备",
    2053: "报备信息中的申请广播单位与广播单位不能相同，请核实后再次报备",
    2054: "接入商只能操作属于本接入商的IP备案信息，请核实后再次报备",
    2055: "备案申请中的IP数据在备案信息库中不存在，请核实后再次报备",
    2056: "备案信息中的IP地址冲突，请核实后再次报备",
    2998: "IP备案操作成功",
    2999: "其他错误",
    # 域名数据处理类
    3001: "报备信息中的域名类型错误 ，请核实后再次报备",
    3002: "报备信息中的域名注册时间不能为空，请核实后再次报备",
    3003: "报备信息中的域名有效日期不能为空，请核实后再次报备",
    3004: "报备信息中的域名有效日期不能早于当前日期，请核实后再次报备",
    3005: "报备信息中的域名服务器不能为空，请核实后再次报备",
    3006: "报备信息中的域名所属注册商不能为空，请核实后再次报备",
    3007: "报备信息中的域名所属注册商名称中包含特殊字符、格式不正确或为空，请核实后再次报备",
    3008: "报备信息中的域名注册人名称不能为空，请核实后再次报备",
    3009: "报备信息中的域名注册人所在组织不能为空，请核实后再次报备",
    3010: "报备信息中的域名注册人所在省不能为空，请核实后再次报备",
    3011: "报备信息中的域名注册人所在城市不能为空，请核实后再次报备",
    3012: "报备信息中的域名注册人电子邮件不能为空，请核实后再次报备",
    3013: "报备信息中的域名注册人电子邮件格式错误，请核实后再次报备",
    3014: "报备信息中的域名注册人电话号码不能为空，请核实后再次报备",
    3015: "报备信息中的域名注册人电话号码格式错误，请核实后再次报备",
    3016: "报备信息中的域名注册人通信地址不能为空，请核实后再次报备",
    3017: "报备信息中的域名管理员名称不能为空，请核实后再次报备",
    3018: "报备信息中的域名管理员所在组织不能为空，请核实后再次报备",
    3019: "报备信息中的域名管理员所在省不能为空，请核实后再次报备",
    3020: "报备信息中的域名管理员所在城市不能为空，请核实后再次报备",
    3021: "报备信息中的域名管理员电子邮件不能为空，请核实后再次报备",
    3022: "报备信息中的域名管理员电子邮件格式错误，请核实后再次报备",
    3023: "报备信息中的域名管理员电话号码不能为空，请核实后再次报备",
    3024: "报备信息中的域名管理员电话号码格式错误，请核实后再次报备",
    3025: "报备信息中的域名管理员通信地址不能为空，请核实后再次报备",
    3026: "报备信息中的接入方式无效，请核实后再次报备",
    3027: "报备信息中的服务器放置地无效，请核实后再次报备",
    3028: "报备信息中的注册人省市错误，请核实后再次报备",
    3029: "报备信息中的管理员省市错误，请核实后再次报备",
    3030: "报备信息中的缴费人省市错误，请核实后再次报备",
    3031: "报备信息中的注册时间格式错误，请核实后再次报备",
    3032: "报备信息中的有效日期格式错误，请核实后再次报备",
    3033: "报备信息中的缴费人电话号码格式错误，请核实后再次报备",
    3034: "报备信息中的缴费人电子邮件格式错误，请核实后再次报备",
    3035: "报备信息中的域名注册时间超过当前时间，请核实后再次报备",
    3036: "域名报备单位只能到工信部备案系统进行域名报备，请核实后再次报备",
    3037: "接入商只能操作属于本接入商的域名备案信息，请核实后再次报备",
    3998: "域名备案操作成功",
    3999: "其他错误",
    # 数据文件类
    5001: "数据文件格式不符合接口XSD规范，请核实后再次报备",
    5002: "该属性不存在，请核实后再次报备",
    5003: "XML中请求单位Id和报备单位Id不一致，请核实后再次报备",
    5004: "接口版本错误，当前接口版本为“当前版本信息”",
    5005: "企业上报的未备案网站处理结果中的网站不属于该企业，请核实后再次报备",
    5006: "该未备案网站的处理结果已经上报，无需重复上报",
    5007: "处理结果代码错误，请核实后再次报备",
    5008: "上报信息中存在非法字符，请核实后再次报备",
    5009: "报备单位无此业务权限",
    5010: "您提交的附件格式不符合规范",
    5011: "该功能目前未开放",
    5999: "其他错误",
}

# What the simulator checks, code by code (the report and GET /control/state show this table).
SIMULATED_RESULT_CODES: Final[dict[int, str]] = {
    1001: "review approved (record numbers assigned)",
    1002: "review returned with the reviewer's opinion",
    1003: "an operation for the same owner certificate number is in flight, or XZBA for an owner already filed",
    1004: "a domain that is not a valid host name with a top-level domain",
    1005: "a domain filed, or in flight, for another owner",
    1006: "an IP range whose start is after its end",
    1008: "an owner certificate number longer than download.xsd can publish (128 characters)",
    1009: "an e-mail address without '@'",
    1010: "an office phone with characters other than digits and '-'",
    1011: "a mobile number that is not 11 digits starting with 1",
    1012: "an MSN account without '@'",
    1013: "a QQ number that is not 5-12 digits",
    1015: "a resident ID number (certificate type 2) with a wrong check character or birth date",
    1016: "ZXBA for an access record the province does not know",
    1019: "province/city/county codes that do not nest (or an unknown province)",
    1021: "a homepage URL filed for another owner",
    1022: "a homepage URL that is not http(s) with a valid host",
    1025: "ZXBA cancelling the only access of a website",
    1027: "ZXBA cancelling an owner whose cancellation is already in flight",
    1029: "two accesses of one website with the same IP ranges",
    1030: "ZXBA cancelling a website whose cancellation is already in flight",
    1031: "an organisation's website without the office phone of its person in charge",
    1039: "a domain already filed by the same owner",
    1041: "a homepage URL whose host is none of the website's domains (or their subdomains)",
    1044: "an organisation owner without the name of its person in charge",
    1047: "ZXBA cancelling another provider's access",
    1048: "XZWZ or ZXBA on a record filed through another provider",
    1049: "an operation on a cancelled owner",
    1050: "an operation on a cancelled website",
    1058: "XZWZ or ZXBA for an owner the province does not know",
    1059: "ZXBA for a website the province does not know",
    1063: "an IP range outside the provider's filed IP ranges (configured per account)",
    1064: "a domain on the configured blacklist",
    1065: "an owner certificate number on the configured blacklist",
    5001: "a file that is not well-formed GBK XML or does not validate against upload.xsd",
    5003: "Qqdwid differs from the ispId of the call",
    5004: "a version attribute the simulator does not accept",
    5011: "operations other than XZBA, XZWZ and ZXBA (XZJR, BGBA, HSJG, WBACLJG, XZHYD, IP, YM)",
}

NOT_SIMULATED_RESULT_CODES: Final[dict[str, str]] = {
    "1007, 1008 (by certificate type), 1014, 1033-1036, 1056, 1057, 1066": (
        "need the base code tables (单位性质, 证件类型, 内容类型, 服务内容, 接入方式, 分布地点, 附件, 语言) that the "
        "province publishes in JCDM downloads; the specification does not list their values"
    ),
    "1017, 1023, 1024, 1026, 1028, 1037, 1038, 1040, 1046, 1051": "belong to BGBA / XZJR / IP, not simulated",
    "1018": "ICP filing passwords are only checked by isp_verifybamm",
    "1020": "the rule for a conflicting website name is not stated",
    "1045, 5009": "the simulator serves one province and every configured account may file there",
    "1052, 1053, 1054, 1055, 1060, 1061, 1062, 1067, 1068": "internal states of the real system",
    "2001-2056, 2998, 3001-3037, 3998": "IP and domain filings are answered with 5011",
    "5002, 5005-5008, 5010": "not reachable with the simulated operations",
}
