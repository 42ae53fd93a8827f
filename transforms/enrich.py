"""Language, entities, publication date and date mentions for a batch of drafts.

One Enricher per worker (built in DoFn.setup): the spaCy model is loaded once and
sees whole batches through nlp.pipe.  Non-English articles are kept, with their
language set and English NER / date resolution skipped and counted.
"""
from __future__ import annotations

from pipeline.config import EnrichOptions


class Enricher:
    def __init__(self, options: EnrichOptions):
        self.o = options
        self._tagger = None
        self._resolver = None

    def load(self):
        from transforms import language
        language.load()                        # ~0.8 s once, not on the first batch
        if self.o.entities:
            from transforms.entities import EntityTagger
            self._tagger = EntityTagger(model=self.o.model, labels=tuple(self.o.labels),
                                        gazetteer=list(self.o.gazetteer), batch_size=self.o.batch_size,
                                        max_chars=self.o.max_chars, with_dates=self.o.dates,
                                        places=self.o.places)
            self._tagger.load()
        if self.o.dates:
            from transforms.dates import DateResolver
            self._resolver = DateResolver()
        return self

    def run(self, batch: list[dict]):
        from transforms.dates import choose_published, date_from_text
        from transforms.language import detect_language
        counts: dict[str, int] = {}

        def bump(name, n=1):
            counts[name] = counts.get(name, 0) + n

        for d in batch:
            hint = (d.get("language_hint") or "")[:2].lower() or None      # "en-US" -> "en"
            d["language"] = detect_language(d["body"]) or hint
            captions = [c.get("text") or "" for c in d.get("captions") or []]
            candidates = list(d.get("pub_candidates") or [])
            # the whole extracted text: "Published ..." lines are boilerplate by now
            from_text = date_from_text(d.get("text") or d["body"], captions=captions,
                                       dateline_prefix=d.get("dateline_prefix"), url=d.get("url"))
            if from_text:
                candidates.append(("text", from_text))
            pub = choose_published(candidates)
            d["published_at"] = pub["published_at"]
            d["published_at_source"] = pub["published_at_source"]
            d["_pub_granularity"] = pub.get("granularity") or "instant"
            d["_pub_local_day"] = pub.get("local_day")
            d["entities"], d["dates"] = [], []
        english = [d for d in batch if d["language"] in ("en", None)]
        if len(english) < len(batch):
            bump("enrich.skipped_not_english", len(batch) - len(english))
        tags = self._tagger.tag([d["body"] for d in english]) if self._tagger and english else None
        for i, d in enumerate(english):
            spans = None
            if tags is not None:
                d["entities"] = tags[i]["entities"]
                spans = tags[i].get("date_spans")
                bump("enrich.entities", len(d["entities"]))
            if self._resolver is not None:
                d["dates"] = self._resolver.resolve(d["body"], d["published_at"],
                                                    published_granularity=d["_pub_granularity"],
                                                    spans=spans, local_day=d.get("_pub_local_day"))
                bump("enrich.date_mentions", len(d["dates"]))
        for d in batch:
            for key in ("_pub_granularity", "_pub_local_day", "pub_candidates", "language_hint", "figures", "furniture",
                        "text", "dateline_prefix"):
                d.pop(key, None)
        bump("enrich.articles", len(batch))
        return batch, counts
