"""The extraction pipeline for one document:

normalize -> segment -> prefilter -> tokenize -> match/link (per sentence) -> discourse (across
sentences) -> records (validated pydantic models).

Only sentences that hold a quantity are tokenized: the rest are matched with cheap regexes for
the passage state (aim cues, lead-ins, deadline cues). Models load once per process.
"""
from __future__ import annotations

import hashlib
import time

import regex
from collections import defaultdict
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Optional, Sequence

from schemas import DocumentRecord, Plan

from .analysis import Analysis, Judge
from .discourse import SentenceResult, decide, dedupe, merge_pairs
from .learn.group_reader import KINDS as GROUP_KINDS, load_group_tagger, read_groups, readable
from .learn.judge import LearnedJudge, load_judge
from .learn.period import PeriodReader, load_period_model
from .learn.written_year import WrittenYearReader, load_written_year_model
from .link import Candidate, sentence_candidates, usable_cues
from .match import DeadlineCue, Hit, View, get_matchers, resolve_this_year
from .metadata import HEAD_SENTENCES, get_metadata_reader
from .normalize import NormalizedText, normalize
from .numbers import get_number_reader
from .prefilter import Anchors, Prefilter, worth_reading
from .reads import Reading, SentenceReads
from .records import build_target
from .segment import Sentence, segment
from .source import SourceDocument
from .tokenize import sentence_doc


_CAPTION_LEAD = regex.compile(r"(?:Ảnh|Nguồn)\s*:\s*(?:[^\s/]+\s){0,4}?[^\s/]+/\s*[\p{Lu}+]+\s+")


class Extractor:
    """Holds the loaded rules and models; `extract()` is safe to call for every document."""

    def __init__(self, *, prefilter: bool = True, skip_unreachable: bool = True) -> None:
        """``prefilter=False`` reads every sentence as the prefilter would never rule one out;
        ``skip_unreachable=False`` reads the group of every candidate, also those the judge drops
        whatever their group (the records are the same either way, only slower: tests compare)."""
        self.use_prefilter = prefilter
        self.skip_unreachable = skip_unreachable
        self.m = get_matchers()
        self.reader = get_number_reader()
        self.meta = get_metadata_reader()
        self.prefilter = Prefilter(self.m, self.reader)
        self.judge: Optional[Judge] = load_judge()
        self.group_tagger = load_group_tagger()  # the learned group reader (None: the rules' groups)
        self.period_model = load_period_model()  # the learned choice of the plan period (None: the rules')
        self.periods = PeriodReader(self.meta)
        self.year_model = load_written_year_model()  # the learned guess of the year written (None: the rules')
        self._years: Optional[WrittenYearReader] = None
        self.reads = SentenceReads(self._read)
        self.timings: dict[str, float] = defaultdict(float)

    def _tick(self, stage: str, t0: float) -> float:
        t1 = time.perf_counter()
        self.timings[stage] += t1 - t0
        return t1

    def written_year(self, text: str) -> Optional[int]:
        """The year a text without a date was written in: the rules' guess
        (MetadataReader.reference_year), or the learned model's where it is sure enough."""
        rules = self.meta.reference_year(text)
        if self.year_model is None:
            return rules
        if self._years is None:
            self._years = WrittenYearReader()
        return self.year_model.guess(self._years, text, rules)

    def extract(self, doc: SourceDocument) -> DocumentRecord:
        judge = self.judge if self.skip_unreachable and isinstance(self.judge, LearnedJudge) else None
        return self.finish(self.analyze(doc, for_judge=judge), release=True)

    def analyze(self, doc: SourceDocument, for_judge: Optional[LearnedJudge] = None) -> Analysis:
        """Everything up to the decision of which candidates are targets: every candidate of the
        document, with the rules' decision (`keep`) and the context a learned judge reads.
        ``for_judge``: only that judge will decide, and the group reader skips the candidates it
        drops whatever their group (`Analysis.unreachable`; the records are the same)."""
        t = time.perf_counter()
        norm = normalize(doc.text)
        t = self._tick("normalize", t)
        text = norm.text
        official = self.meta.is_official(text)
        anchors = (self.prefilter.scan(text, norm.match_text, official)  # None: no sentence can hold a target
                   if self.use_prefilter else Anchors.everywhere(len(text)))
        t = self._tick("prefilter", t)
        sentences = segment(text, title_line=_has_title_line(doc, text),
                            head=None if anchors is not None else HEAD_SENTENCES)
        t = self._tick("segment", t)
        meta = self.meta.read(text, sentences)
        published = doc.published or meta.published
        period_end = meta.period[1] if meta.period else None
        t = self._tick("metadata", t)
        ref_year, news_of_plan, regulatory = None, None, False
        results: list[SentenceResult] = []
        cands: list[Candidate] = []
        if anchors is not None:
            ref_year = published.year if published else (doc.written_in or self.written_year(text))
            news_of_plan = None if official else _plan_news_start(sentences, norm.match_text, self.m)
            focus = self.prefilter.passages(anchors, sentences, official, news_of_plan) if self.use_prefilter else None
            counted = self.prefilter.quantity_sentences(anchors, sentences) if focus else None
            aimed = self.prefilter.aim_sentences(anchors, sentences) if focus else None
            t = self._tick("prefilter", t)
            if focus is None or focus:
                results = self._sentences(norm, sentences, ref_year, official, news_of_plan, published, focus,
                                          counted, aimed, cited=meta.cited,
                                          training_plan=bool(meta.title) and self.m.training.contains(meta.title))
                t = time.perf_counter()
                if self.period_model is not None and any(r.cands for r in results):
                    # learned on documents with targets: one without a candidate keeps the rules' period
                    meta.period = self.period_model.choose(self.periods, text, meta.period,
                                                           published.year if published else None)
                    period_end = meta.period[1] if meta.period else None
                    t = self._tick("metadata", t)
                regulatory = self.meta.is_regulatory(text)
                cands = decide(results, self.m, period_end, official=official, regulatory=regulatory,
                               news_of_plan=news_of_plan)
                t = self._tick("link", t)
        a = Analysis(doc=doc, norm=norm, sentences=sentences, meta=meta, published=published, ref_year=ref_year,
                     official=official, regulatory=regulatory, news_of_plan=news_of_plan, results=results,
                     cands=cands)
        if self.group_tagger is not None and cands:
            if for_judge is not None:
                a.unreachable = for_judge.unreachable(a, [i for i, c in enumerate(cands) if readable(c)])
                a.unreachable_by = for_judge.model
            read_groups(self.group_tagger, cands, results, self.m, a.unreachable)
            self._tick("groups", t)
        for r in results:
            r.doc = None  # the analysis keeps no words
        return a

    def finish(self, a: Analysis, judge: Optional[Judge] = None, *, release: bool = False) -> DocumentRecord:
        """The targets of an analysed document: the judge (the shipped model unless given) sets
        which candidates are kept and how confident it is; then pairs merge and repeats fold.
        ``release``: the analysis is not needed afterwards, so its candidates and per-sentence
        results are let go as soon as the targets no longer need them (memory stays near the
        larger of the analysis and the record, not their sum)."""
        t = time.perf_counter()
        judge = judge if judge is not None else self.judge
        period_end = a.period_end
        kept: list[Candidate] = []
        if a.cands:
            kept = dedupe(merge_pairs(judge(a) if judge is not None else a.cands), self._rank(a.sentences))
            t = self._tick("link", t)
        if release:
            a.results, a.cands = [], []
        kept.reverse()  # popped from the end: with ``release``, each candidate goes once its target is built
        targets = []
        while kept:
            c = kept.pop()
            targets.append(build_target(c, a.sentences[c.sentence_index], a.norm, period_end))
        doc, meta, text = a.doc, a.meta, a.norm.text
        warnings = list(doc.warnings)
        if not text.strip():
            warnings.append("empty document: no text to extract from")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        record = DocumentRecord(
            doc_id=doc.doc_id or "sha256:" + digest[:16],  # the contract's fallback id
            source=doc.source or doc.path,
            title=doc.title or meta.title,
            published=a.published,
            plan=Plan(
                doc_numbers=meta.doc_numbers, doc_type=meta.doc_type, issuer=meta.issuer, issued=meta.issued,
                period={"start": meta.period[0], "end": meta.period[1]} if meta.period else None,
                location=meta.location,
            ),
            targets=targets,
            warnings=warnings,
            text_sha256=digest,
        )
        self._tick("validate", t)
        return record

    def _quantities(self, smatch: str) -> list:
        """The quantities of a sentence (none read when nothing in it can be a number)."""
        return self.reader.find(smatch) if self.reader.may_hold(smatch) else []

    def _read(self, smatch: str) -> Reading:
        """A sentence's quantities and deadline cues (None when it holds no year nor relative cue)."""
        return self._quantities(smatch), self._deadlines(smatch)

    def _deadlines(self, smatch: str) -> Optional[list[DeadlineCue]]:
        return self.m.deadlines.find(smatch) if self.m.deadlines.may_hold(smatch) else None

    def _sentences(self, norm: NormalizedText, sentences: list[Sentence], published_year: Optional[int],
                   official: bool = False, news_of_plan: Optional[int] = None,
                   published: Optional[date] = None, focus: Optional[dict[int, int]] = None,
                   counted: Optional[set[int]] = None, aimed: Optional[set[int]] = None,
                   cited: Sequence[tuple[int, int]] = (), training_plan: bool = False) -> list[SentenceResult]:
        """One result per sentence; a sentence outside ``focus`` (Prefilter.passages: a passage ->
        its last sentence that may be worth reading) only gets an empty one. A sentence not in
        ``counted`` (Prefilter.quantity_sentences, when given) holds no quantity: it is read for
        its deadline cues only; one not in ``aimed`` (Prefilter.aim_sentences) holds no aim cue.
        ``cited``: the clauses citing the text's legal basis (MetadataReader.cited_spans): their
        years are another document's, so no deadline cue is read in them. ``training_plan``: the
        title names training (rules/units.yaml training_verbs: "Kế hoạch Bồi dưỡng kiến thức ..."),
        so a section of aims counts the people it trains ("Chức sắc các tôn giáo: 35 người")."""
        out: list[SentenceResult] = []
        passage, passage_aim = -1, False
        table_header: dict[int, DeadlineCue] = {}
        for s in sentences:
            stext, smatch = norm.text[s.start:s.end], norm.match_text[s.start:s.end]
            t = time.perf_counter()
            if focus is not None and s.index > focus.get(s.passage, -1):
                if "\t" in smatch:  # a table's header row hands its years on to the rows below it
                    table_header = self._table_columns(stext, smatch, self.reads.get(smatch)[0], [], table_header)
                else:
                    table_header = {}
                out.append(SentenceResult(sentence=s, cands=[], cues=[], aim_cue=False))
                self._tick("prefilter", t)
                continue
            if s.passage != passage:
                passage, passage_aim = s.passage, False
            if counted is None or s.index in counted:
                quantities, found = self.reads.get(smatch)
            else:
                quantities, found = [], self._deadlines(smatch)
            if found and cited:
                found = [c for c in found if not _within_any(s.start + c.start, s.start + c.end, cited)]
            if found is not None:
                found = resolve_this_year(found, published_year)
            plain = View.build(stext, smatch, s.start)
            cues = usable_cues(plain, self.m, quantities, found) if found is not None else []
            aim_hit = self.m.aim.search(plain) if aimed is None or s.index in aimed else None
            aim_cue = aim_hit is not None
            hopeful = bool(quantities) and worth_reading(
                quantity=True, passage_aim=passage_aim, section=s.section, official=official,
                after_plan_news=news_of_plan is not None and s.index > news_of_plan,
                own_reason=aim_cue or any(c.kind == "until" for c in cues)
                or self.m.aim_local.search(plain) is not None or self.m.funding_context.search(plain) is not None
                or self.m.plan_followers.search(plain, 0, 12) is not None)
            passage_aim = passage_aim or aim_cue or s.opens_list
            t = self._tick("prefilter", t)
            doc = sentence_doc(stext) if hopeful else None  # only sentences that may hold a target are tokenized
            t = self._tick("tokenize", t)
            view = View.build(stext, smatch, s.start, doc) if doc is not None else plain
            cands = sentence_candidates(view, self.m, self.reader, s.index, published_year, quantities, cues,
                                        published=published) if hopeful else []
            table_header = self._table_columns(stext, smatch, quantities, cands, table_header)
            if doc is not None:  # the aim cue on word boundaries
                aim_hit = self.m.aim.search(view)
            res = SentenceResult(sentence=s, cands=cands, cues=cues, quantities=quantities,
                                 aim_cue=aim_cue if doc is None else aim_hit is not None,
                                 lead_in=s.opens_list or (s.is_heading and aim_cue))
            res.reports_past = aim_cue and _reports_past(view, self.m, aim_hit)
            if cands:  # what only matters for numbers that may be targets
                res.training = self.m.training.search(view) is not None or (training_plan and s.section == "aim")
                res.funding_ctx = self.m.funding_context.search(view) is not None
                lead = _CAPTION_LEAD.match(smatch)  # "Ảnh: Huỳnh Phúc Hậu/TTXVN Trong đó, ..." (a caption run in)
                start = lead.end() if lead else 0
                hit = self.m.list_continuation.search(view, start, min(len(smatch), start + 12))
                res.continues_list = hit is not None and hit.start == start
            anaphora = self.m.anaphora.search(view) if cands else None
            if anaphora is not None:
                res.anaphora = True
                for c in cands:
                    if c.q.start > anaphora.start:
                        c.rules.append("anaphora")
            if doc is not None and self.group_tagger is not None and any(c.q.kind in GROUP_KINDS for c in cands):
                res.doc = doc  # the group reader reads these words again (a long document's would be out of the cache)
            view.release()  # what later stages read of the sentence is its text and word boundaries
            self._tick("match", t)
            out.append(res)
        _mark_plan_followers(out, norm.match_text, self.m)
        _expand_anaphora(out)
        _respectively(out, self.m)
        return out

    def _table_columns(self, stext: str, smatch: str, quantities: list, cands: list[Candidate],
                       header: dict[int, DeadlineCue]) -> dict[int, DeadlineCue]:
        """A table flattened to text (cells separated by tabs): a header row whose cells are years
        ("Năm 2023<TAB>Năm 2025") gives the deadline of each number below it, by column."""
        if "\t" not in smatch:
            return {}
        if not quantities:
            columns: dict[int, DeadlineCue] = {}
            offset = 0
            for col, cell in enumerate(smatch.split("\t")):
                found = self.m.deadlines.find(cell)
                if found and found[0].kind != "relative":
                    cue = found[0]
                    cue.text = stext[offset + cue.start:offset + cue.end]
                    columns[col] = cue
                offset += len(cell) + 1
            return columns or header
        for c in cands:
            cue = header.get(smatch.count("\t", 0, c.q.start))
            if cue is not None and c.deadline is None:
                c.deadline, c.deadline_how = cue, "table"
                c.aim = True  # a table of yearly targets
        return header

    @staticmethod
    def _rank(sentences: list[Sentence]):
        """How trustworthy a statement is, for choosing between two statements of one aim:
        the body (3) over the lead paragraph and inferred restatements (2), over a subheading
        (1), over the headline (0)."""
        # a text with no blank line (a web page's text, a JSONL article) has a paragraph per line
        by_line = len({s.paragraph for s in sentences}) <= 2

        def unit(s: Sentence) -> tuple[int, int]:
            return (s.paragraph, s.line if by_line else 0)
        lead = next((unit(s) for s in sentences if not s.is_title), None)
        has_more = len({unit(s) for s in sentences}) > 2

        def rank(c: Candidate) -> int:
            s = sentences[c.sentence_index]
            if s.is_title:
                return 0
            if s.is_heading:
                return 1
            if c.inferred or (has_more and unit(s) == lead):
                return 2
            return 3
        return rank


def _reports_past(view: View, m, aim: Optional[Hit]) -> bool:
    """'năm học 2015 - 2016, nhà trường đã hoàn thành những chỉ tiêu đề ra': a past cue before the
    sentence's aim word (``aim``: m.aim.search(view)), with nothing between that makes it an aim again."""
    past = m.past.search(view, 0, aim.start) if aim is not None else None
    return past is not None and m.past_override.search(view, past.end, aim.start) is None


def _plan_news_start(sentences: list[Sentence], match_text: str, m) -> Optional[int]:
    """'UBND tỉnh vừa ban hành Kế hoạch số 112/KH-UBND về ...' as one of the first sentences of the
    body: a news item reporting a plan. Its later paragraphs set out the plan unless they say
    otherwise; the index of that sentence, or None."""
    body = [s for s in sentences if not s.is_title and not s.is_heading][:m.plan_news_lead]
    for s in body:
        if m.plan_news.search(match_text[s.start:s.end]):
            return s.index
    return None


def _mark_plan_followers(results: list[SentenceResult], match_text: str, m) -> None:
    """'UBND tỉnh ban hành Kế hoạch ... . Theo đó, trong năm 2023, ...': the second sentence
    states the plan's aims."""
    for prev, res in zip(results, results[1:]):
        if not res.cands:
            continue  # only a candidate asks whether its sentence follows a plan's adoption
        s = res.sentence
        opener = m.plan_followers.search(View.build(match_text[s.start:s.end], match_text[s.start:s.end], s.start), 0, 12)
        if opener is not None and opener.start == 0:
            p = prev.sentence
            res.follows_plan = m.plan_adoption.search(match_text[p.start:p.end]) is not None


def _respectively(results: list[SentenceResult], m) -> None:
    """'các tỷ lệ nêu trên lần lượt đạt 90% và 95%': the percentages take, in order, the groups of
    the latest earlier sentence that gave as many percentages with groups."""
    for i, res in enumerate(results):
        view = res.cands[0].view if res.cands else None
        hit = m.respectively.search(view.match) if view is not None else None
        if hit is None:
            continue
        semi = view.match.find(";", hit.end())
        clause_end = len(view.match) if semi < 0 else semi
        pcts = [c for c in res.cands if c.q.kind == "percent" and hit.end() <= c.q.start < clause_end]
        if len(pcts) < 2:
            continue
        for prev in reversed(results[max(0, i - 6):i]):
            earlier = [c for c in prev.cands if c.q.kind == "percent" and c.group is not None and c.keep is not False]
            if len(earlier) >= len(pcts):
                for c, e in zip(pcts, earlier):
                    c.group, c.indicator = e.group, c.indicator or e.indicator
                    c.rules.append("group.respectively")
                break


def _expand_anaphora(results: list[SentenceResult]) -> None:
    """'các con số trên đều đạt 100%': restate the groups of the previous passage's percentage
    aims with the new value (targets marked inferred); the anaphoric number itself is dropped."""
    for i, res in enumerate(results):
        if not res.anaphora:
            continue
        ana = [c for c in res.cands if "anaphora" in c.rules and c.q.kind == "percent"]
        if not ana:
            continue
        source = None
        for prev in reversed(results[:i]):
            earlier = [c for c in prev.cands if c.q.kind == "percent" and c.group is not None and not c.past]
            if earlier:
                source = [p for p in results[:i] if p.sentence.passage == prev.sentence.passage]
                break
        if not source:
            continue
        value = ana[0]
        new: list[Candidate] = []
        for prev in source:
            for c in prev.cands:
                if c.q.kind == "percent" and c.group is not None and not c.past:
                    q = replace(c.q, value=value.q.value, value_max=None, op=value.op,
                                start=value.q.start, end=value.q.end, num_start=value.q.num_start)
                    new.append(Candidate(q=q, view=value.view, sentence_index=value.sentence_index, op=value.op,
                                         group=c.group, indicator=None, deadline=value.deadline,
                                         deadline_how=value.deadline_how, aim=True, inferred=True,
                                         rules=["anaphora.inferred"]))
        res.cands = [c for c in res.cands if c not in ana] + new


def _within_any(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Does [start, end) lie within one of the spans?"""
    return any(a <= start and end <= b for a, b in spans)


def _has_title_line(doc: SourceDocument, text: str) -> bool:
    """Is the first line a headline? Known when the title was put in the text; else guessed."""
    if doc.title_in_text:
        return bool(doc.title and doc.title.strip())
    first = text.split("\n", 1)[0].strip()
    return 0 < len(first) <= 200 and not first.endswith((".", ";", ":", ","))


@lru_cache(maxsize=1)
def get_extractor() -> Extractor:
    return Extractor()
