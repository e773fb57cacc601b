"""The message catalogue: every string the desk shows a person, by key.

Simplified Chinese is the language of the desk; English is the second catalogue
and falls back to Chinese for anything not yet translated. Templates are ours;
values (which may be user text) are only ever passed in as format arguments.
"""
from __future__ import annotations

import os

ZH: dict[str, str] = {
    "app.title": "村务值班台",
    "app.guest": "未登记的用户 {login}",
    "loading": "正在读取……",
    "error.unexpected": "出错了：{detail}",
    "error.stale": "这条记录刚被别人修改过，已显示最新内容；请在此基础上重新修改后保存",
    # keys (footer and help)
    "key.back": "返回",
    "key.cancel": "取消",
    "key.close": "关闭",
    "key.save": "保存",
    "key.quit": "退出",
    "key.help": "帮助",
    "key.palette": "命令面板",
    "key.intake": "接待登记",
    "key.residents": "群众档案",
    "key.new_person": "登记新群众",
    "key.edit_person": "修改信息",
    "key.intake_for": "为其登记",
    "key.find_person": "找人",
    "key.find_item": "找事项",
    # home
    "home.date": "{date} 星期{weekday}",
    "home.signed_in": "当前用户：{name}",
    "home.on_duty_unknown": "值班：排班功能即将上线",
    "home.today_intake": "今日接待",
    "home.open_count": "在办事项",
    "home.due_today": "今日到期",
    "home.overdue": "已超期",
    "home.start_hint": "按 i 接待登记，r 查群众档案，Ctrl+P 输入姓名/拼音/电话直接找人，F1 帮助",
    # search
    "search.person.placeholder": "姓名 / 拼音 / 首字母 / 电话或身份证号后几位 / 户号",
    "search.person.none": "没有找到。按 F2 登记新群众",
    "palette.open_resident": "打开群众档案",
    # intake
    "intake.title": "接待登记",
    "intake.step.person": "① 群众（F3）",
    "intake.step.item": "② 代办事项（F4）",
    "intake.step.materials": "③ 已收材料（空格勾选）",
    "intake.step.mode": "④ 办理方式",
    "intake.step.summary": "登记单（Ctrl+S 保存）",
    "intake.item.placeholder": "事项名称或拼音首字母，如 ylbx",
    "intake.note.placeholder": "备注（可不填）",
    "intake.days": "{days} 个工作日",
    "intake.same_day": "当天办结",
    "intake.summary.person": "群众：",
    "intake.summary.item": "事项：",
    "intake.summary.due": "应办结：",
    "intake.summary.due_value": "{date}（{limit}）",
    "intake.summary.materials": "材料：",
    "intake.summary.materials_value": "已收 {got} / 共 {of} 项",
    "intake.summary.mode": "方式：",
    "intake.summary.none": "（未选）",
    "intake.need.person": "请先选择群众（F3 找人，F2 登记新群众）",
    "intake.need.item": "请选择代办事项（F4）",
    "intake.need.mode": "请选择办理方式",
    "intake.bad_mode": "请选择办理方式",
    "intake.bad_item": "请选择代办事项",
    "intake.bad_person": "请先选择或登记群众",
    "intake.bad_materials": "材料不在该事项的清单中",
    # modes and statuses
    "mode.on_the_spot": "马上办",
    "mode.carried": "代着办",
    "mode.accompanied": "领着办",
    "mode.mobile": "流动办",
    "status.registered": "已登记",
    "status.in_progress": "办理中",
    "status.waiting_villager": "待补材料",
    "status.submitted": "已报送乡镇",
    "status.appointment_set": "已约办理",
    "status.result_back": "结果已回",
    "status.delivered": "已送达",
    "status.called_back": "已回访",
    "status.returned": "已退回",
    "status.cancelled": "已撤销",
    # errand lifecycle
    "move.illegal": "{mode}的事项不能从“{status}”改为“{to}”。现在可以：{allowed}",
    "move.none": "（没有可办的下一步）",
    "move.need_reason": "改为“{to}”需要写明原因",
    "move.need_appointment": "请填写约定的日期和时间",
    "move.need_place": "领着办请填写去哪里办理",
    "move.originals_out": "还有原件未归还群众：{names}。请先归还，或写明原因",
    "callback.not_delivered": "只有“已送达”的事项才能回访，这件是“{status}”",
    "callback.need_satisfaction": "请选择满意度",
    "errand.need_note": "备注不能为空",
    "errand.merge_self": "不能把事项合并到它自己",
    "errand.merge_closed": "已办结的事项不能再合并",
    "errand.link_self": "不能关联到它自己",
    # errands
    "errand.number": "编号",
    "errand.item": "事项",
    "errand.mode": "方式",
    "errand.status": "状态",
    "errand.created": "登记日期",
    "errand.due": "应办结",
    "errand.owner": "经办人",
    # receipt
    "receipt.title": "代办回执",
    "receipt.number": "回执编号：",
    "receipt.station": "服务站：",
    "receipt.person": "办事群众：",
    "receipt.item": "代办事项：",
    "receipt.mode": "办理方式：",
    "receipt.taken": "登记时间：",
    "receipt.due": "承诺办结：",
    "receipt.received": "已收材料：",
    "receipt.missing": "待补材料：",
    "receipt.cadre": "经办干部：",
    "receipt.nothing": "无",
    "receipt.hint": "请把回执编号告诉群众。按 Enter 或 Esc 接待下一位",
    # residents
    "residents.title": "群众档案",
    "residents.search": "查找（F3）",
    "residents.detail": "档案",
    "residents.pick": "在左边输入姓名、拼音、首字母、电话或身份证号后几位，回车选中",
    "residents.members": "同户：",
    "residents.errand_count": "代办记录 {count} 条",
    "resident.name": "姓名",
    "resident.gender": "性别",
    "resident.id_number": "身份证号",
    "resident.phone": "电话",
    "resident.household_number": "户号",
    "resident.relation": "与户主关系",
    "resident.pinyin_override": "姓名拼音",
    "resident.note": "备注",
    "resident.id_taken": "该身份证号已登记：{name}",
    "resident.no_household": "没有户号为 {number} 的农户",
    "resident_form.new": "登记新群众",
    "resident_form.edit": "修改群众信息",
    "resident_form.saved": "已保存：{name}",
    "resident_form.keys": "回车到下一项，Ctrl+S 保存，Esc 取消。出错时什么都不会保存",
    "resident_form.hint.name": "必填",
    "resident_form.hint.id_number": "18 位，可不填",
    "resident_form.hint.phone": "手机或“区号-号码”，可不填",
    "resident_form.hint.household_number": "如 03021，可不填",
    "resident_form.hint.relation": "户主 / 配偶 / 子 / 女 …",
    "resident_form.hint.pinyin_override": "系统读错姓名时填写，如 shan tian fang",
    "resident_form.hint.note": "",
    # help
    "help.title": "帮助",
    "help.search": (
        "\n找人：输入姓名、全拼（zhangsan）、首字母（zs）、手机或身份证号的前几位或后几位、"
        "户号都可以。多音字姓氏（单 shan、曾 zeng、解 xie …）按姓氏读音查找；"
        "读错的名字可在“姓名拼音”里改正。\n"
        "任何界面按 Esc 返回上一级，Ctrl+P 直接找人，Ctrl+Q 退出。"),
    # setup
    "setup.title": "首次使用：建立服务站",
    "setup.intro": "数据库是空的。填好下面几项，回车到下一项，Ctrl+S 保存。"
                   "将同时建立村民小组和常用代办事项目录。\n",
    "setup.station_name": "服务站名称",
    "setup.township": "所属乡镇",
    "setup.group_count": "村民小组数",
    "setup.admin_name": "站长姓名",
    "setup.admin_phone": "站长手机",
    "setup.bad_group_count": "村民小组数请填 1 到 40 的数字",
    # validation
    "invalid.id_empty": "请填写身份证号码",
    "invalid.id_old_15": "这是 15 位的旧身份证号码，请填写 18 位的新号码",
    "invalid.id_length": "身份证号码应为 18 位，当前输入了 {given} 位，请核对",
    "invalid.id_chars": "身份证号码前 17 位只能是数字，最后一位是数字或 X，请核对",
    "invalid.id_birth_invalid": "身份证号码中的出生日期 {birth} 不是有效日期，请核对",
    "invalid.id_birth_too_early": "身份证号码中的出生年份 {year} 早于 1880 年，请核对",
    "invalid.id_birth_future": "身份证号码中的出生日期 {birth} 晚于今天，请核对",
    "invalid.id_check_digit": "身份证号码校验位应为 {expected}，请核对号码",
    "invalid.phone_empty": "请填写电话号码",
    "invalid.phone_invalid": "电话号码格式不正确：手机号是以 1 开头的 11 位数字，"
                             "固定电话请写成“区号-号码”，例如 0932-1234567",
    "invalid.text_empty": "{label}不能为空",
    "invalid.text_too_long": "{label}最多 {max_len} 个字，当前为 {given} 个字，请删减",
    "invalid.text_control": "{label}含有换行、制表符等不可见的控制字符，请删除后重新输入",
}

EN: dict[str, str] = {
    "app.title": "Village Duty Desk",
    "key.back": "Back",
    "key.cancel": "Cancel",
    "key.close": "Close",
    "key.save": "Save",
    "key.quit": "Quit",
    "key.help": "Help",
    "key.intake": "Intake",
    "key.residents": "Residents",
    "key.new_person": "New resident",
    "mode.on_the_spot": "On the spot",
    "mode.carried": "Carried",
    "mode.accompanied": "Accompanied",
    "mode.mobile": "Mobile",
}

CATALOGUES = {"zh": ZH, "en": EN}
_language = os.environ.get("KIOSK_LANG", "zh")


def set_language(language: str) -> None:
    global _language
    if language not in CATALOGUES:
        raise ValueError(f"unknown language {language!r}")
    _language = language


def t(key: str, **values) -> str:
    """The message for `key` in the current language, with `values` filled in."""
    template = CATALOGUES.get(_language, ZH).get(key) or ZH[key]
    return template.format(**values) if values else template
