"""Catalogue of the ICP filing rules' messages: a stable code → (Chinese, English), with ``str.format`` fields.

No message repeats a person's name, an identity number, a phone number or an e-mail address: they are personal
data, and the field path already says which value is meant.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Shared.
    "required": ("此项为必填项。", "This field is required."),
    "too_long": (
        "内容过长：最多{limit}个字符，现有{actual}个，请删减。",
        "Too long: at most {limit} characters, and this has {actual}; shorten it.",
    ),
    "too_short": (
        "内容过短：至少{limit}个字符，现有{actual}个，请填写完整。",
        "Too short: at least {limit} characters, and this has {actual}; give it in full.",
    ),
    "control_characters": ("含有不可见的控制字符。", "Contains invisible control characters."),
    "not_encodable": (
        "含有无法报送的字符{shown_zh}：监管系统只接受GBK字符集内的字符，请改用常用字或删除该字符。",
        "Contains the character {shown_en}, which cannot be filed: the regulator's system accepts only characters "
        "of the GBK character set. Use a common character instead or remove it.",
    ),
    "code_not_integer": ("请从列表中选择。", "Choose from the list."),
    "code_unknown": (
        "所选的值（{code}）不在“{table_zh}”的可选范围内：请从列表中重新选择。",
        "The value chosen ({code}) is not one of the {table_en}: choose again from the list.",
    ),
    "duplicate": ("与第{other}项重复。", "Repeats item {other}."),
    # Owner (主办者).
    "owner_name_domain": (
        "主办者名称不能是域名或网址：应填写证件上的单位全称或个人姓名。",
        "The owner's name cannot be a domain or a web address: give the full name on the certificate.",
    ),
    "owner_name_latin_only": (
        "单位名称不能只由字母或数字组成：应填写证件上的中文全称。",
        "An organisation's name cannot consist of letters or digits only: give the full Chinese name on the "
        "certificate.",
    ),
    "owner_name_incomplete": (
        "企业名称通常以“有限公司”“厂”“店”等组织形式结尾：请核对是否为营业执照上的全称。",
        "An enterprise's name usually ends in its legal form (有限公司, 厂, 店, ...): check that it is the full name "
        "on the business licence.",
    ),
    "person_name_characters": (
        "姓名只能由汉字、字母、间隔号“·”、空格、连字符或撇号组成。",
        "A person's name may contain only Chinese characters, letters, the middle dot, spaces, hyphens and "
        "apostrophes.",
    ),
    "individual_name_organisational": (
        "个人的姓名不能含有“{word}”等单位字样。",
        "A person's name cannot contain words of an organisation such as {word}.",
    ),
    "nature_individual_mismatch": (
        "单位性质与主办者类型不符：个人主办者的单位性质应为“个人”，单位主办者不能选“个人”。",
        "The nature does not match the kind of owner: an individual's nature is Individual, and an organisation "
        "cannot choose Individual.",
    ),
    "certificate_type_nature_mismatch": (
        "证件类型“{type_zh}”不适用于单位性质“{nature_zh}”。",
        "The certificate type {type_en} cannot be used by an owner of the nature {nature_en}.",
    ),
    "certificate_type_individual_mismatch": (
        "个人主办者应使用个人身份证件，单位主办者应使用单位证件。",
        "An individual owner presents a personal identity document, an organisation an organisation's certificate.",
    ),
    "certificate_no_public_format": (
        "“{type_zh}”没有公开的号码格式，号码须人工核对。",
        "{type_en} has no public number format: a person must check the number.",
    ),
    "certificate_number_superseded": (
        "该号码是三证合一前的旧格式（{format_zh}），应填写证件上的18位统一社会信用代码。",
        "This number has a format replaced by the unified social credit code ({format_en}): give the 18-character "
        "code on the certificate.",
    ),
    "uscc_category_mismatch": (
        "统一社会信用代码前两位“{prefix}”（登记管理部门和机构类别）与单位性质“{nature_zh}”不符，请核对。",
        "The first two characters of the unified social credit code ({prefix}: registration authority and "
        "category) do not fit the nature {nature_en}: please check.",
    ),
    "passport_number_format": (
        "护照号码应为5至20位字母或数字。",
        "A passport number has 5 to 20 letters or digits.",
    ),
    "legacy_resident_id": (
        "15位身份证号码已停止使用，不能用于备案：请填写18位号码。",
        "15-digit ID numbers are no longer in use and cannot be filed: give the 18-character number.",
    ),
    "division_not_integer": ("行政区划代码应为6位数字。", "A division code has 6 digits."),
    "division_unknown": ("行政区划代码{code}不存在。", "The division code {code} does not exist."),
    "division_abolished": (
        "行政区划代码{code}（{name}）已撤销：请选择现行代码。",
        "The division code {code} ({name}) has been abolished: choose a current code.",
    ),
    "division_level": (
        "代码{code}不是{level_zh}级行政区划代码。",
        "The code {code} is not a {level_en}-level division code.",
    ),
    "division_outside": (
        "代码{code}不属于所选的上级行政区划{parent}。",
        "The code {code} does not lie inside the chosen division {parent}.",
    ),
    "address_province_mismatch": (
        "通信地址所写省份（{found}）与证件所在省（{expected}）不一致。",
        "The postal address names a province ({found}) other than the certificate's province ({expected}).",
    ),
    "certificate_region_mismatch": (
        "证件号码中的登记机关所在省（{found}）与所填省份（{expected}）不一致，请核对。",
        "The registering authority's province in the certificate number ({found}) differs from the province "
        "given ({expected}): please check.",
    ),
    "reporting_mode_invalid": (
        "报备方式只能是0（自行报备）或1（代为报备）。",
        "The reporting mode is 0 (self) or 1 (by the provider).",
    ),
    "individual_person_mismatch": (
        "个人主办者的负责人必须是本人：负责人的姓名和证件应与主办者一致。",
        "An individual owner is their own person in charge: the name and document must be the owner's.",
    ),
    "person_document_not_personal": (
        "负责人证件应为个人身份证件。",
        "The person in charge presents a personal identity document.",
    ),
    "person_document_not_allowed": (
        "证件类型“{type_zh}”不适用于单位性质“{nature_zh}”主办者的负责人。",
        "The document type {type_en} is not accepted for the person in charge of an owner of the nature {nature_en}.",
    ),
    # Contact details.
    "phone_characters": (
        "办公电话只能包含数字和“-”，多个号码用“;”分隔。",
        "An office phone number may contain only digits and '-'; separate several numbers with ';'.",
    ),
    "phone_format": (
        "{which_zh}格式不正确：应为“区号-号码”（如010-12345678）、400/800号码或手机号码。",
        "{which_en} is malformed: give the area code and the number (such as 010-12345678), a 400/800 number or "
        "a mobile number.",
    ),
    "phone_too_short": (
        "{which_zh}位数不足：固定电话应带区号，如010-12345678。",
        "{which_en} is too short: give a landline number with its area code, such as 010-12345678.",
    ),
    "mobile_format": (
        "{which_zh}应为11位数字，以1开头。",
        "{which_en} must be 11 digits starting with 1.",
    ),
    "mobile_prefix_unknown": (
        "{which_zh}的号段{prefix}不是在用的手机号段，请核对号码。",
        "{which_en} starts with {prefix}, which is not a mobile number segment in use: check the number.",
    ),
    "mobile_prefix_not_personal": (
        "{which_zh}属于物联网号段{prefix}，收不到短信验证码：请填写个人使用的手机号码。",
        "{which_en} is in the machine-to-machine segment {prefix}, which cannot receive the SMS code: give a "
        "personal mobile number.",
    ),
    "email_missing_at": (
        "{which_zh}缺少“@”：应填写完整的地址，如name@example.cn。",
        "{which_en} has no '@': give the full address, such as name@example.cn.",
    ),
    "email_format": (
        "{which_zh}格式不正确：应为完整的地址，如name@example.cn。",
        "{which_en} is malformed: give the full address, such as name@example.cn.",
    ),
    "email_domain_unknown": (
        "{which_zh}的域名后缀不存在，请核对“@”后面的部分。",
        "The domain of {which_lower_en} ends in a suffix that does not exist: check the part after '@'.",
    ),
    # Website (网站).
    "website_name_too_few_chinese": (
        "网站名称至少应含3个汉字（现有{count}个）。",
        "A website name has at least 3 Chinese characters ({count} given).",
    ),
    "website_name_domain": (
        "网站名称不能是域名或网址，也不能含有域名。",
        "A website name cannot be or contain a domain or a web address.",
    ),
    "website_name_latin_only": (
        "网站名称不能只由字母或数字组成。",
        "A website name cannot consist of letters or digits only.",
    ),
    "website_name_reserved_word": (
        "网站名称含有“{word}”：只有国家级机关、机构的网站可以使用（主办单位名称本身含有该字样的除外）。",
        "The website name contains {word}: only websites of national bodies may use it (unless the owner's own "
        "name contains it).",
    ),
    "website_name_reserved_word_check": (
        "网站名称含有“{word}”：请人工确认主办单位是国家级机关、机构。",
        "The website name contains {word}: a person must confirm that the owner is a national body.",
    ),
    "website_name_needs_approval": (
        "网站名称含有“{word}”，须有“{approval_zh}”前置审批。",
        "The website name contains {word}, which needs the pre-approval for {approval_en}.",
    ),
    "website_name_organisational_for_individual": (
        "个人网站的名称不能含有“{word}”等单位或商业字样。",
        "An individual's website name cannot contain words of an organisation or a business such as {word}.",
    ),
    "website_name_relation_unverified": (
        "无法自动确认网站名称与主办者相关：请人工核对。",
        "The website name could not be matched to the owner automatically: a person must check that it relates "
        "to the owner.",
    ),
    "homepage_url_invalid": ("首页网址格式不正确。", "The homepage address is malformed."),
    "homepage_url_scheme": ("首页网址只能以http://或https://开头。", "The homepage address must use http or https."),
    "homepage_url_credentials": (
        "首页网址不能含有用户名或密码。",
        "The homepage address cannot contain a user name or password.",
    ),
    "homepage_url_ip": (
        "首页网址应使用域名，不能是IP地址。",
        "The homepage address must use a domain, not an IP address.",
    ),
    "homepage_url_domain_mismatch": (
        "首页网址必须使用本网站所填的域名之一（如域名为example.cn，首页可以是https://www.example.cn/），否则管局"
        "系统会以“首页网址与域名不符”退回。",
        "The homepage address must use one of the domains given for this website (for the domain example.cn, "
        "https://www.example.cn/ for instance); otherwise the regulator's system returns the filing as "
        "'homepage address does not match the domains'.",
    ),
    "domain_url_given": (
        "请只填写域名，不要带“http://”、路径或端口。",
        "Give the domain only, without 'http://', a path or a port.",
    ),
    "domain_ip_address": ("应填写域名，不能是IP地址。", "Give a domain, not an IP address."),
    "domain_label_empty": ("域名中有空的部分（连续的点）。", "The domain has an empty label (two dots in a row)."),
    "domain_label_too_long": ("域名每一部分最多63个字符。", "Each label of a domain has at most 63 characters."),
    "domain_too_long": ("域名最多253个字符。", "A domain has at most 253 characters."),
    "domain_characters": (
        "域名只能由字母、数字、连字符和汉字组成。",
        "A domain may contain only letters, digits, hyphens and Chinese characters.",
    ),
    "domain_hyphen": (
        "域名的每一部分不能以连字符开头或结尾，第3、4位也不能同时是连字符。",
        "No label of a domain may start or end with a hyphen, or have hyphens in positions 3 and 4.",
    ),
    "domain_punycode": (
        "域名中的“xn--”部分不是有效的国际化域名编码。",
        "An 'xn--' label of the domain is not valid Punycode.",
    ),
    "domain_script": (
        "域名含有汉字以外的非拉丁文字：请人工核对。",
        "The domain contains a script other than Latin or Chinese: a person must check it.",
    ),
    "domain_public_suffix": (
        "“{domain}”是公共后缀，不是可注册的域名。",
        "{domain} is a public suffix, not a registrable domain.",
    ),
    "domain_unknown_suffix": ("域名后缀不存在。", "The domain ends in a suffix that does not exist."),
    "domain_not_registrable": (
        "应填写注册的域名“{registrable}”，而不是它的子域名。",
        "File the registered domain {registrable}, not a subdomain of it.",
    ),
    "domain_tld_not_approved": (
        "顶级域“.{tld}”不在工业和信息化部批准在境内使用的顶级域名单中。",
        "The top-level domain .{tld} is not on MIIT's list of top-level domains approved for use in China.",
    ),
    "domain_reserved_suffix": (
        "“.{suffix}”域名只能由{allowed_zh}注册使用。",
        ".{suffix} domains are reserved to {allowed_en}.",
    ),
    "domain_in_other_website": (
        "该域名已填在第{other}个网站中：一个域名只能属于一个网站。",
        "This domain is already given for website {other}: a domain belongs to one website.",
    ),
    # Pre-approvals (前置审批).
    "pre_approval_missing": (
        "网站涉及“{type_zh}”内容，须提供相应的前置审批（审批类型、审批号和审批文件）。",
        "The website offers {type_en} content and needs the matching pre-approval (type, number and document).",
    ),
    "pre_approval_document_too_large": (
        "审批文件扫描件不能超过{limit} KB（现为{actual} KB）。",
        "The scanned approval document may be at most {limit} KB ({actual} KB given).",
    ),
    # Access (接入).
    "ip_address_invalid": ("IP地址格式不正确。", "The IP address is malformed."),
    "ip_range_family": (
        "起始和终止地址必须同为IPv4或同为IPv6。",
        "The start and end addresses must both be IPv4 or both be IPv6.",
    ),
    "ip_range_order": (
        "起始地址大于终止地址：地址段应写作“起始地址 - 终止地址”。",
        "The first address is greater than the last one: write a range as first - last.",
    ),
    "ip_range_not_public": (
        "含有内网或保留地址（如192.168.x.x、10.x.x.x）：请填写服务商分配的公网地址。",
        "Contains private or reserved addresses (such as 192.168.x.x or 10.x.x.x): give the public addresses the "
        "provider assigned.",
    ),
    "ip_range_outside_provider": (
        "该地址不属于本服务商的网络（{networks_zh}）：请填写服务商为您的服务分配的公网地址，可在服务商控制台中查看。",
        "This address is not in the provider's networks ({networks_en}): give the public address the provider "
        "assigned to your service, as shown in its console.",
    ),
    "ip_range_overlap": ("与第{other}个地址段重叠。", "Overlaps range {other}."),
    "ip_range_ipv6_interface": (
        "企业系统接口规范3.0只能上报IPv4地址段：该IPv6地址段须另行报备。",
        "Version 3.0 of the MIIT interface carries IPv4 ranges only: this IPv6 range must be reported another way.",
    ),
    # Contact rules across owners.
    "mobile_used_by_other_owner": (
        "该手机号码已是另一主办者的联系方式：一个手机号码只能属于一个主办者。",
        "This mobile number is already a contact of another owner: one mobile number belongs to one owner.",
    ),
    "person_in_charge_for_unrelated_owners": (
        "该负责人已是其他无关联主办者网站的负责人：一人不能担任多个无关联主办者的网站负责人。",
        "This person is already website person in charge for an unrelated owner: one person cannot be website "
        "person in charge for several unrelated owners.",
    ),
    # Record numbers (备案号).
    "record_number_format": (
        "备案号格式不正确：应为“京ICP备12345678号”或“京ICP备12345678号-1”。",
        "The record number is malformed: it reads like 京ICP备12345678号 or 京ICP备12345678号-1.",
    ),
    "record_number_province": (
        "备案号的省份简称“{abbreviation}”与主办者所在省（{expected}）不一致。",
        "The record number's province abbreviation {abbreviation} does not match the owner's province ({expected}).",
    ),
}
