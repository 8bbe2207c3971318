"""One-line Chinese titles for events."""

from __future__ import annotations


def _join(names: list[str], limit: int = 4) -> str:
    shown = "、".join(names[:limit])
    return shown + ("等" if len(names) > limit else "")


def make_title(etype: str, people: list[str], companies: list[str], details: dict[str, str]) -> str:
    who = _join(people) or _join(companies)
    src, dst = details.get("from", ""), details.get("to", "")
    amount = details.get("amount", "")
    if etype == "departure":
        text = f"{who}离开{src}" if src else f"{who}离职"
        return text + (f"，加入{dst}" if dst else "")
    if etype == "hire":
        return f"{who}加入{dst}" if dst else f"{who}入职"
    if etype == "funding":
        rnd = details.get("round") or "新一轮"
        head = companies[0] if companies else who
        if details.get("investors") and not details.get("round"):
            return f"{details['investors']}投资{head}" + (f"，金额{amount}" if amount else "")
        return f"{head}完成{rnd}融资" + (f"，金额{amount}" if amount else "")
    if etype == "lawsuit":
        plaintiff, defendant = details.get("plaintiff", ""), details.get("defendant", "")
        if plaintiff and defendant:
            return f"{plaintiff}起诉{defendant}"
        return f"{_join(companies + people)}涉及诉讼/仲裁"
    if etype == "price_cut":
        return f"{_join(companies)}降价" + (f"至{details['new_price']}" if details.get("new_price") else "")
    if etype == "acquisition":
        acquirer, target = details.get("acquirer", ""), details.get("target", "")
        text = f"{acquirer}收购{target}" if acquirer and target else f"{_join(companies)}涉及收购"
        return text + (f"，作价{amount}" if amount else "")
    return who
