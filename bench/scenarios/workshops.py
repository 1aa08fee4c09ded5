"""Workshops: the live wall page with 2,000 ideas (bench.seed_workshops), p95 under 200 ms.

Timed as the facilitator sees it (the newest ideas of each question with their moderation links,
hidden ideas folded away), as a member who adds ideas and as a guest who joined with the code,
the projector, and the pages of all the ideas of the busiest question (700) that the wall links
to, first and last."""

from __future__ import annotations

import math

from django.http import HttpResponse
from django.test import Client

from bench.measure import shows, time_page
from bench.registry import scenario
from bench.seed_workshops import wall_seed
from compact.workshops.live.guest import cookie_name, set_guest_cookie
from compact.workshops.models import Idea
from compact.workshops.views.wall_prompt import PROMPT_PAGE

TARGET_MS = 200


@scenario("workshops")
def wall_pages(ctx):
    seed = wall_seed(ctx)
    workshop = seed.workshop
    facilitator, member, guest = Client(), Client(), Client()
    facilitator.force_login(seed.facilitator)
    member.force_login(seed.member)
    response = HttpResponse()
    set_guest_cookie(response, workshop, seed.guest_key)  # as the join form sets it
    name = cookie_name(workshop.pk)
    guest.cookies[name] = response.cookies[name].value

    ideas = shows(*seed.sample_texts, "data-wall-stream", "Show all")
    every = f"{seed.wall_url}?prompt={seed.busiest.pk}"
    on_it = Idea.objects.filter(prompt=seed.busiest, hidden=False, merged_into__isnull=True).count()
    last = f"{every}&page={math.ceil(on_it / PROMPT_PAGE)}"
    pages = [
        ("workshops.wall_2000_ideas_facilitator", facilitator, [seed.wall_url], shows("Hidden ideas", "Moderate")),
        ("workshops.wall_2000_ideas_member", member, [seed.wall_url], ideas),
        ("workshops.wall_2000_ideas_guest", guest, [f"/join/{workshop.join_code}/"], ideas),
        ("workshops.projector_2000_ideas", facilitator, [f"{seed.wall_url}projector/"], shows(workshop.join_code)),
        ("workshops.all_ideas_of_a_question", facilitator, [every, last], shows(seed.oldest_text)),
    ]
    metrics = []
    for metric, client, urls, check in pages:
        timing = time_page(client, metric, urls, n=ctx.n, warmup=ctx.warmup, target_ms=TARGET_MS, check=check)
        metrics.append(timing)
        size = len(client.get(urls[0]).content)
        ctx.log(f"{metric}: p50 {timing.p50:.1f} ms, p95 {timing.p95:.1f} ms, {timing.queries} queries, {size:,} bytes")
    return metrics
