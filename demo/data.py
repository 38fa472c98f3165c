"""The demo's story as data: its organizations, people, jobs and candidates, and what happens
in each loop (feedback, amendments, reminders, debriefs, reference calls). `seed_demo` makes
it happen through the same workflows as a user's clicks."""

from dataclasses import dataclass
from datetime import time, timedelta

from django.conf import settings

from accounts.models import Role
from debriefs.models import Debrief
from guides.models import Recommendation

# The real guide beside the project, when it is there (it is not part of Rubric).
SEED_GUIDE = settings.BASE_DIR.parent / "shared" / "seeds" / "backend-developer-guide.txt"

DEMO_PASSWORD = "rubric-demo"

# What Acme writes into its guides' [placeholders] before publishing them (our own words), by
# the placeholder's text without brackets; the company and location come from its settings.
GUIDE_VALUES = {
    "acme": {
        "industry": "logistics software",
        "brief description of what the company does": (
            "builds the routing platform that moves parcels for 4,000 online shops"
        ),
        "company mission/values": "keeping every delivery promise we make",
        "impact/benefit": "every late parcel it prevents",
        "salary range": "€70,000–€90,000",
        "health insurance, retirement plans, etc.": "health insurance and a pension plan",
        "other company-specific benefits": "a yearly learning budget of €1,500",
        "time zone requirements": "overlap with 10:00–15:00 Berlin time",
        "language": "Python",
        "technology": "PostgreSQL",
        "specific problem relevant to backend development": (
            "deduplicating parcel scans that arrive twice from the depots"
        ),
        "specific backend scenario, e.g., a notification service, payment processing system, "
        "or data synchronization mechanism": "a delivery-status notification service",
        "specific data scenario": "storing every scan along a parcel's journey",
        "relevant system, e.g., a content delivery platform, an e-commerce checkout service, "
        "or a real-time analytics system": "a live parcel-tracking service",
    }
}

ORGANIZATIONS = [
    {
        "slug": "acme",
        "name": "Acme",
        "company_name": "Acme Corporation",
        "location": "Berlin",
        "time_zone": "Europe/Berlin",
        "members": [
            ("admin@acme.test", "Avery Admin", Role.ADMIN),
            ("hm@acme.test", "Harper Manager", Role.HIRING_MANAGER),
            ("recruiter@acme.test", "Riley Recruiter", Role.RECRUITER),
            ("ada@acme.test", "Ada Lovelace", Role.INTERVIEWER),
            ("grace@acme.test", "Grace Hopper", Role.INTERVIEWER),
            ("linus@acme.test", "Linus Torvalds", Role.INTERVIEWER),
        ],
        "invitations": [("new.hire@acme.test", Role.INTERVIEWER)],
    },
    {
        "slug": "globex",
        "name": "Globex",
        "company_name": "Globex Inc.",
        "location": "Springfield",
        "time_zone": "America/Chicago",
        # Kits go out four days ahead, so that the next working day's interview has its kit
        # e-mailed as soon as the demo's worker runs, whatever the day and hour.
        "kit_email_hours": 96,
        "members": [
            ("admin@globex.test", "Gale Admin", Role.ADMIN),
            ("hm@globex.test", "Hank Scorpio", Role.HIRING_MANAGER),
        ],
        "invitations": [],
    },
]


# Jobs, candidates and their interviews. Days count working days from today in the
# organization's time zone, so that the demo always looks current.

ROOM_ADA = "Room Ada, 3rd floor"
ROOM_HOPPER = "Room Hopper, 2nd floor"
# Video links name no one: erasing a candidate's data leaves their interviews as they are.


@dataclass(frozen=True)
class Feedback:
    """One interviewer's scorecard. `scores` has a digit per criterion in the stage's order (its
    own criteria, then the desired outcomes), "-" for none; the notes follow the same orders,
    "" for none. With a recommendation it was submitted, without one it is still a draft."""

    interviewer: str
    recommendation: Recommendation | None = None
    summary: str = ""
    scores: str = ""
    criterion_notes: tuple[str, ...] = ()
    question_notes: tuple[str, ...] = ()
    # Changed after submitting: (index of the criterion, its new score, the reason given).
    amended: tuple[int, int, str] | None = None
    # Submitted only after a reminder that it was overdue.
    reminded: bool = False
    # For the next interviewers: what later stages of the loop should probe.
    next_note: str = ""
    # Shadowing the panel, in training: sealed like anyone's, never counted.
    shadow: bool = False


@dataclass(frozen=True)
class Meeting:
    """The interview of a loop's next stage, `day` working days from today (negative: held)."""

    day: int
    start: time
    minutes: int
    feedback: tuple[Feedback, ...]
    location: str = ""
    video_link: str = ""
    hand_in: "DemoHandIn | None" = None  # a take-home's, a day before the reviewers' hour


@dataclass(frozen=True)
class DemoHandIn:
    repository_url: str
    note: str


@dataclass(frozen=True)
class DemoDebrief:
    """How far the loop's debrief has come. Notes are (author, index of the guiding question,
    text); a change is (interviewer, index of their stage, new recommendation, reason)."""

    phase: Debrief.Phase
    notes: tuple[tuple[str, int, str], ...] = ()
    change: tuple[str, int, Recommendation, str] | None = None
    decision: str = ""
    rationale: str = ""
    next_steps: str = ""


@dataclass(frozen=True)
class DemoReference:
    """A reference call: `scores` has a digit per reference criterion, `answers` one text per
    reference question, "" for none."""

    name: str
    relationship: str
    company: str
    contact: str
    worked_together: str
    scores: str
    answers: tuple[str, ...]
    rehire: int
    rehire_reason: str


@dataclass(frozen=True)
class DemoCandidate:
    name: str
    email: str
    phone: str
    links: str
    source: str
    notes: str
    added: int  # working days ago
    meetings: tuple[Meeting, ...] = ()  # the guide's stages, in order
    debrief: DemoDebrief | None = None
    references: tuple[DemoReference, ...] = ()
    # The take-home sent today, due in five working days, reviewed by Ada and Linus.
    take_home_sent: bool = False
    # Where they live, when not in the organization's zone.
    time_zone: str = ""


@dataclass(frozen=True)
class DemoJob:
    organization: str
    title: str
    department: str
    location: str
    guides: tuple[str, ...]  # titles of published guides, the first one found wins
    hiring_manager: str
    recruiter: str | None
    candidates: tuple[DemoCandidate, ...]


# Every stage held, every scorecard in; the debrief talked Linus's dissent through and decided
# to hire, and the recruiter has called two references.
FINISHED = DemoCandidate(
    name="Mira Okafor",
    email="mira.okafor@example.com",
    phone="+49 30 5550 1842",
    links="https://mira-okafor.example.com\nhttps://git.example.com/mokafor",
    source="Referral",
    notes="Referred by Ada. Backend engineer at a freight-tracking company in Hamburg; "
    "relocating to Berlin, can start in two months.",
    added=12,
    meetings=(
        Meeting(
            day=-10,
            start=time(10, 0),
            minutes=30,
            video_link="https://meet.example.com/hqz-rmtw-kvd",
            feedback=(
                Feedback(
                    "hm@acme.test",
                    Recommendation.HIRE,
                    "Relevant, current experience and a clear communicator. On to the "
                    "take-home; cloud infrastructure is the gap to probe later.",
                    scores="434434332",
                    criterion_notes=(
                        "Broad and current; went deep on databases without being asked.",
                        "Reasoned from symptom to cause, no guessing.",
                        "Concise, and checked whether I wanted more detail.",
                        "Event-heavy APIs at scale: close to what our platform team does.",
                        "Has carried the pager for the service she built.",
                        "Writes the API spec before the code.",
                        "",
                        "Retired a legacy cron setup in small, safe steps.",
                        "Onboarding buddy twice, no formal mentoring yet.",
                    ),
                    question_notes=(
                        "Six years on backend teams, the last three at a freight-tracking "
                        "company. Mostly Python, some Go for the ingestion workers.",
                        "PostgreSQL day to day. Partitioned a very large events table by month "
                        "and could say why that boundary.",
                        "Versions in the URL, one error format everywhere, reviews the spec "
                        "with the app teams first.",
                        "Duplicate shipment events after a broker failover: traced them to "
                        "at-least-once delivery and added idempotency keys.",
                        "AWS managed services (RDS, SQS, ECS). The platform team owned "
                        "Terraform, so less hands-on there.",
                        "Review on every change, contract tests for the public API. Brought up "
                        "threat modelling herself.",
                    ),
                ),
                Feedback(
                    "grace@acme.test",
                    Recommendation.HIRE,
                    "Easy to talk to and clearly knows her data. No concerns for the next stage.",
                    scores="343433332",
                    amended=(
                        0,
                        4,
                        "Reread my notes: her partitioning answer went deeper than I scored it.",
                    ),
                    criterion_notes=(
                        "Strong on data, lighter on infrastructure.",
                        "",
                        "Easy to follow.",
                    ),
                    question_notes=(
                        "",
                        "Knows when to denormalise and said so with numbers.",
                        "",
                        "Owned the fix and the write-up.",
                        "Cloud mostly as a user of managed services.",
                    ),
                ),
                # Linus sat in to learn the screen; his card does not count.
                Feedback(
                    "linus@acme.test",
                    Recommendation.STRONG_HIRE,
                    "Shadowing: I scored her higher than the panel on the technical side; I "
                    "want to hear in the debrief what held them back.",
                    scores="443434333",
                    criterion_notes=(
                        "Knew her databases cold.",
                        "",
                        "",
                        "Idempotency keys were the right call.",
                    ),
                    shadow=True,
                ),
            ),
        ),
        # A take-home's slot is the reviewers' hour with the submission.
        Meeting(
            day=-8,
            start=time(14, 0),
            minutes=60,
            feedback=(
                Feedback(
                    "ada@acme.test",
                    Recommendation.STRONG_HIRE,
                    "One of the cleanest submissions we have had. Ask her in the technical "
                    "interview why the token check sits in each handler.",
                    scores="4434334430",
                    criterion_notes=(
                        "Small modules, clear names, nothing left over.",
                        "A library-loans API with members and books; one error format, cursor "
                        "pagination.",
                        "Handlers and loan rules well covered; the auth code has no tests.",
                        "Prevented double loans with a database constraint, not a check in code.",
                        "README works as written; one typo in an example request.",
                        "",
                        "OpenAPI file generated, then tidied by hand.",
                        "Added a CI workflow nobody asked for.",
                        "",
                        "A take-home cannot tell us this.",
                    ),
                ),
                Feedback(
                    "linus@acme.test",
                    Recommendation.HIRE,
                    "Good, pragmatic solution. I'd have liked a word on how it behaves with many "
                    "borrowers at once.",
                    scores="3334334330",
                    criterion_notes=(
                        "Readable; two functions do two things each.",
                        "",
                        "The tests read like a spec, which I liked.",
                        "",
                        "Migrations and sample data included.",
                    ),
                ),
            ),
        ),
        Meeting(
            day=-6,
            start=time(10, 0),
            minutes=60,
            location=ROOM_ADA,
            video_link="https://meet.example.com/pwe-ndsa-jtx",
            feedback=(
                Feedback(
                    "ada@acme.test",
                    Recommendation.STRONG_HIRE,
                    "Strong across the board and honest about her shortcuts. A fast, careful "
                    "coder with good instincts for data.",
                    scores="4434443332",
                    criterion_notes=(
                        "Knows the why, not just the how, of everything we touched.",
                        "Tested the edge cases before I asked.",
                        "Good shape; needed a nudge on message ordering.",
                        "Went to the query plan first, every time.",
                        "Clean code while talking; renamed things as she went.",
                        "Has run in production everything she described.",
                    ),
                    question_notes=(
                        "Walked through her loans API. Called the per-handler token check a "
                        "shortcut and sketched a middleware instead.",
                        "Merging overlapping intervals: sort and sweep, with tests for touching "
                        "and empty input before I asked.",
                        "Webhook delivery: a queue per tenant, retries with backoff, dead letters "
                        "after a day. Asked about ordering first.",
                        "EXPLAIN before any index; proposed a covering index and a short cache "
                        "with explicit invalidation.",
                        "Gateway checks the token, services check scopes. Talked through key "
                        "rotation.",
                        "Celery and asyncio in production; explained why blocking calls stay out "
                        "of the event loop.",
                    ),
                ),
                Feedback(
                    "linus@acme.test",
                    Recommendation.HIRE,
                    "Solid. A bit quick to reach for a queue, but she could say what it costs.",
                    scores="3433333332",
                    criterion_notes=(
                        "",
                        "",
                        "Reached for a queue early; justified it when pushed.",
                        "",
                        "Idiomatic Python, small functions.",
                    ),
                    question_notes=(
                        "",
                        "Needed no hints.",
                        "Good questions about ordering before designing.",
                        "",
                        "",
                        "Clear on back-pressure.",
                    ),
                ),
            ),
        ),
        Meeting(
            day=-4,
            start=time(13, 30),
            minutes=60,
            location=ROOM_HOPPER,
            video_link="https://meet.example.com/bcl-yqof-mrs",
            feedback=(
                Feedback(
                    "grace@acme.test",
                    Recommendation.STRONG_HIRE,
                    "Asked the right questions, chose boring tools for good reasons and "
                    "designed for failure from the start.",
                    scores="4443443342",
                    criterion_notes=(
                        "Clear boundaries between ingestion, storage and the public feed.",
                        "Sized it with rough numbers before choosing anything.",
                        "Append-only events plus a current-state table; knew the trade-off.",
                        "Covered the basics; did not bring up rate limiting on her own.",
                        "Outbox, idempotent consumers, health checks that mean something.",
                    ),
                    question_notes=(
                        "Chose a parcel-tracking feed for an online shop. Asked about the "
                        "read/write ratio and freshness before drawing anything.",
                        "PostgreSQL for orders, an append-only events table, and why not a "
                        "document store here.",
                        "Short-lived user tokens, mutual TLS between services.",
                        "Outbox pattern, idempotent consumers, health checks that test the "
                        "dependencies and not just the process.",
                        "A CDN in front of the public tracking pages, Redis for hot parcels, "
                        "expiry tied to how often events arrive.",
                        "Python, PostgreSQL, SQS: tools the team knows. Would change only with "
                        "numbers in hand.",
                    ),
                ),
                Feedback(
                    "linus@acme.test",
                    Recommendation.NO_HIRE,
                    "Good on data, but the failure discussion stayed at the level of patterns: "
                    "I never heard how she would size the queues or what on-call sees at 3 a.m. "
                    "Happy to be argued with in the debrief.",
                    scores="3242223232",
                    criterion_notes=(
                        "",
                        "No numbers for queue sizes or consumer counts.",
                        "The best part of the interview.",
                        "Rate limiting and abuse only when asked.",
                        "Named the patterns; thin on what breaks first.",
                    ),
                    question_notes=("", "", "", "Outbox and retries, but no word on alerting."),
                ),
            ),
        ),
        Meeting(
            day=-3,
            start=time(15, 0),
            minutes=45,
            location=ROOM_ADA,
            video_link="https://meet.example.com/tuv-gkez-lan",
            feedback=(
                Feedback(
                    "hm@acme.test",
                    Recommendation.STRONG_HIRE,
                    "Owns her mistakes, writes things down and disagrees well. The kind of "
                    "colleague the team asked for.",
                    scores="4443433433",
                    criterion_notes=(
                        "Credits others without being asked.",
                        "Structured answers, no rambling.",
                        "Learned Go on the job and shipped with it.",
                        "",
                        "Added a CI check after her own outage.",
                        "",
                        "",
                        "",
                        "",
                        "Keen to mentor, and has thought about how.",
                    ),
                    question_notes=(
                        "Paired with a data engineer on a slow nightly export: she wrote the "
                        "migration, he did the backfill.",
                        "A reviewer flagged an unbounded retry loop of hers; she capped it and "
                        "now looks for it in her own reviews.",
                        "Learned Go in about three weeks by porting one small service first.",
                        "A migration locked a table for twenty minutes. She ran the post-mortem "
                        "and added a lock-timeout check to CI.",
                        "Argued for GraphQL on the partner API with a one-page comparison; the "
                        "team chose REST and she went along.",
                        "Keeps a written list of priorities and goes through it with her lead "
                        "every Monday.",
                    ),
                ),
                Feedback(
                    "ada@acme.test",
                    Recommendation.HIRE,
                    "Warm, direct, self-aware. A good counterweight on a team that tends to "
                    "over-build.",
                    scores="4343433333",
                    criterion_notes=(
                        "",
                        "",
                        "",
                        "Breaks problems down out loud, which helps a team.",
                    ),
                    question_notes=(
                        "",
                        "Took the feedback without getting defensive.",
                        "",
                        "",
                        "Disagreed well and let it go once it was decided.",
                    ),
                ),
            ),
        ),
    ),
    debrief=DemoDebrief(
        phase=Debrief.Phase.DECIDED,
        notes=(
            (
                "linus@acme.test",
                0,
                "How did the take-home hold up when you pushed on failure "
                "cases? I only saw the happy path.",
            ),
            (
                "grace@acme.test",
                0,
                "She walked me through retries and the dead-letter queue without being asked.",
            ),
            (
                "ada@acme.test",
                2,
                "Strongest on data modelling; the caching answer was textbook rather than lived.",
            ),
            ("hm@acme.test", 7, "Offer at the senior band; references first, then the offer call."),
        ),
        change=(
            "linus@acme.test",
            3,
            Recommendation.HIRE,
            "Grace's notes cover the failure handling I could not get to in my slot.",
        ),
        decision=Debrief.Decision.HIRE,
        rationale="Every stage saw strong system design and clear communication; the one "
        "concern (failure handling) was covered in the technical interview.",
        next_steps="Riley calls the two references this week; Harper makes the offer call.",
    ),
    references=(
        DemoReference(
            name="Jana Hoffmann",
            relationship="Her engineering manager",
            company="Frachtwerk GmbH",
            contact="jana.hoffmann@frachtwerk.example",
            worked_together="3 years",
            scores="34333433",
            answers=(
                "Managed her for three years on the tracking platform team.",
                "Owned the shipment-events pipeline and its on-call rotation.",
                "Rebuilt event ingestion so that a carrier outage no longer lost scans.",
                "Calm under incidents; writes things down.",
                "Could delegate sooner; she tends to take the hard tickets herself.",
                "Settled a schema dispute with the mobile team by writing both options up.",
                "",
            ),
            rehire=9,
            rehire_reason="Would rehire tomorrow; only a bigger scope elsewhere would stop her.",
        ),
        DemoReference(
            name="Tobias Krüger",
            relationship="Peer, senior engineer",
            company="Frachtwerk GmbH",
            contact="+49 40 5550 7731",
            worked_together="2 years",
            scores="3322302-",
            answers=(
                "We shared a team for two years.",
                "APIs for the partner portal, and the pipeline.",
                "",
                "Thorough reviews; she asks the question nobody else asked.",
                "Documentation of older services was thin.",
                "",
                "",
            ),
            rehire=8,
            rehire_reason="Yes; I would want her on any team with a data-heavy backend.",
        ),
    ),
)

# Two stages in; the third was held two days ago and Grace's feedback is overdue; the fourth
# is coming up, so that Ada's "My interviews" has something ahead too. Harper opened the
# debrief's discussion early, with the feedback still missing.
MID_LOOP = DemoCandidate(
    name="Jonas Becker",
    email="jonas.becker@example.com",
    phone="+49 176 5550 2971",
    links="https://jonas-becker.example.com",
    source="Job board",
    notes="Four years of Java and Kotlin at a bank, then an online furniture shop. Notice "
    "period of three months.",
    added=9,
    meetings=(
        Meeting(
            day=-7,
            start=time(11, 0),
            minutes=30,
            video_link="https://meet.example.com/dmo-wfxr-qei",
            feedback=(
                Feedback(
                    "hm@acme.test",
                    Recommendation.HIRE,
                    "Solid background in well-run teams; a little quiet on design. Worth the "
                    "take-home.",
                    scores="333423322",
                    criterion_notes=(
                        "Strong Java and Kotlin, newer to Python.",
                        "",
                        "Clear once he warms up.",
                        "Payments and inventory: both relevant to us.",
                    ),
                    question_notes=(
                        "Four years: a bank's payments team (Java, Kotlin), then an online "
                        "furniture shop (Kotlin, some Node).",
                        "PostgreSQL and Oracle. Designs tables from the access patterns and "
                        "likes check constraints.",
                        "REST with an OpenAPI spec; one machine-readable error format.",
                        "A nightly reconciliation job that got slower every month; fixed it "
                        "with batching and one index.",
                        "GCP at the shop, the bank's own data centre before that.",
                        "Code review, integration tests against a real database, static "
                        "analysis in CI.",
                    ),
                ),
                Feedback(
                    "grace@acme.test",
                    Recommendation.HIRE,
                    "Careful and honest about what he does not know. Fine to go on.",
                    scores="332333322",
                    criterion_notes=("", "", "", "A good fit for the inventory side."),
                    question_notes=(
                        "",
                        "",
                        "",
                        "Told the reconciliation story well, with numbers.",
                    ),
                ),
            ),
        ),
        Meeting(
            day=-5,
            start=time(11, 0),
            minutes=60,
            hand_in=DemoHandIn(
                repository_url="https://git.example.com/jbecker/inventory-api",
                note="Kotlin with Ktor and PostgreSQL; `make up` starts everything. I ran out of "
                "time for rate limiting and left notes on it in the README.",
            ),
            feedback=(
                Feedback(
                    "ada@acme.test",
                    Recommendation.HIRE,
                    "Tidy and well tested; a few REST details off. A good base for the "
                    "technical interview.",
                    next_note="Ask why POST answers 200, and how he would page through a list "
                    "that changes while it is read. His README skips rate limiting: probe it.",
                    scores="3233333322",
                    criterion_notes=(
                        "Clear layers, though the service classes are already too big.",
                        "POST answers 200 instead of 201; pagination without a stable order.",
                        "Thorough, error paths included.",
                        "",
                        "Validation messages are consistent.",
                    ),
                ),
                Feedback(
                    "linus@acme.test",
                    Recommendation.HIRE,
                    "Competent. I'd ask him about the pagination in the interview.",
                    reminded=True,
                    scores="3233323322",
                    criterion_notes=(
                        "",
                        "Offset pagination over an unsorted list will skip rows.",
                        "Tests run against a real database: good.",
                    ),
                ),
            ),
        ),
        Meeting(
            day=-2,
            start=time(10, 0),
            minutes=60,
            location=ROOM_ADA,
            video_link="https://meet.example.com/srk-vnop-yhb",
            feedback=(
                Feedback(
                    "ada@acme.test",
                    Recommendation.HIRE,
                    "A capable, careful engineer, stronger on code than on distributed design. "
                    "Hire, with the system design interview as the real test.",
                    scores="3323333232",
                    criterion_notes=(
                        "Solid in the JVM world, thinner elsewhere.",
                        "Got there with one hint, and checked his own work.",
                        "A sensible shape, but missed idempotency.",
                        "Indexes and query plans are familiar ground.",
                        "Readable code under time pressure; named things well.",
                        "Has kept a payments service running and knows on-call.",
                        "Documents endpoints as he builds them.",
                        "Has never owned CI, though he is curious about it.",
                        "Refactored the inventory service in small steps behind flags.",
                        "Little mentoring so far.",
                    ),
                    question_notes=(
                        "Took me through his API in Kotlin. Defended the layering well; agreed "
                        "the service classes had grown too big.",
                        "Rate limiter: started with a fixed window, moved to a sliding log when "
                        "I asked about bursts. Needed a hint on memory growth.",
                        "Order-confirmation e-mails: a queue between checkout and the mailer, "
                        "but duplicates only came up when I prompted.",
                        "Measures first. A composite index in the right column order; unsure "
                        "when the cache would go stale.",
                        "Knows JWTs well; vague on how the services would share revocation.",
                        "Coroutines and a job queue; explained back-pressure with an example "
                        "from the bank.",
                    ),
                ),
                # Started right after the interview and never finished: past due now.
                Feedback(
                    "grace@acme.test",
                    scores="-3",
                    criterion_notes=("", "Worked through it calmly, with one hint."),
                    question_notes=(
                        "Clear walkthrough; he knows his code.",
                        "Fixed window first, sliding log after a hint.",
                        "",
                        "Composite index, right column order.",
                    ),
                ),
            ),
        ),
        Meeting(
            day=2,
            start=time(14, 0),
            minutes=60,
            location=ROOM_HOPPER,
            video_link="https://meet.example.com/ezq-lmcu-tdw",
            feedback=(Feedback("ada@acme.test"), Feedback("linus@acme.test")),
        ),
    ),
    debrief=DemoDebrief(
        phase=Debrief.Phase.DISCUSSING,
        notes=(
            ("hm@acme.test", 0, "Did anyone get to how he tests the code he ships?"),
            (
                "hm@acme.test",
                4,
                "Grace's take on the technical interview first; then decide "
                "whether the last stage is still worth holding.",
            ),
        ),
    ),
)

JUST_ADDED = DemoCandidate(
    name="Priya Nair",
    email="priya.nair@example.com",
    phone="+44 20 7946 0391",
    links="https://priya-nair.example.com",
    source="Referral",
    notes="Referred by Linus. Worked on a payment gateway rewrite in Rust; would move to Berlin "
    "in the spring.",
    added=1,
    take_home_sent=True,
    time_zone="Europe/London",
)

JOBS = [
    DemoJob(
        organization="acme",
        title="Backend Developer",
        department="Engineering",
        location="Berlin",
        # The real guide when it is beside the project, else the closest starter.
        guides=("Backend Developer", "Software Engineer"),
        hiring_manager="hm@acme.test",
        recruiter="recruiter@acme.test",
        candidates=(FINISHED, MID_LOOP, JUST_ADDED),
    ),
    DemoJob(
        organization="globex",
        title="Support Engineer",
        department="Customer Support",
        location="Springfield",
        guides=("Software Engineer",),
        hiring_manager="hm@globex.test",
        recruiter=None,
        candidates=(
            DemoCandidate(
                name="Tomás Herrera",
                email="tomas.herrera@example.com",
                phone="+1 217 555 0134",
                links="https://tomas-herrera.example.com",
                source="Job board",
                notes="Five years of technical support at a hosting company; writes small "
                "Python tools for his team.",
                added=3,
                meetings=(
                    Meeting(
                        day=1,
                        start=time(10, 0),
                        minutes=30,
                        video_link="https://meet.example.com/glx-pfar-wno",
                        feedback=(Feedback("hm@globex.test"),),
                    ),
                ),
            ),
            DemoCandidate(
                name="Dana Whitfield",
                email="dana.whitfield@example.com",
                phone="+1 217 555 0178",
                links="https://dana-whitfield.example.com",
                source="Careers page",
                notes="Support lead at a small software company; wants to get closer to the code.",
                added=1,
            ),
        ),
    ),
]


@dataclass(frozen=True)
class DemoHistory:
    """A job's past loops, so that its insights have something to say: `loops` candidates who
    came in one every few working days from `first_day` working days ago, each interviewed
    stage after stage by a pair of `panels` (in turn) until a panel's recommendations fell short
    or the last interview stage was held, then debriefed and decided. Scores follow each
    candidate's own strength per criterion with each interviewer's noise; `lenient` scores
    about a point above the others, `slow` hands in late now and then. Made from a fixed seed,
    so every run tells the same story."""

    organization: str
    job: str
    loops: int
    first_day: int
    panels: tuple[tuple[str, str], ...]
    lenient: str
    slow: str
    first_names: str  # separated by spaces
    last_names: str
    summaries: tuple[str, ...]


HISTORY = DemoHistory(
    organization="acme",
    job="Backend Developer",
    loops=40,
    first_day=190,
    panels=(
        ("hm@acme.test", "ada@acme.test"),
        ("ada@acme.test", "linus@acme.test"),
        ("grace@acme.test", "linus@acme.test"),
        ("ada@acme.test", "grace@acme.test"),
        ("hm@acme.test", "linus@acme.test"),
        ("grace@acme.test", "hm@acme.test"),
    ),
    lenient="linus@acme.test",
    slow="grace@acme.test",
    first_names="Amara Bruno Chen Dalia Emil Farah Goran Hana Ivo Jia Kofi Lena Mateo Nadia "
    "Oskar Petra Quentin Rosa Samir Tuva",
    last_names="Adeyemi Brandt Costa Dimitrov Eriksen Fischer Gomez Haddad Ivanova Jansen "
    "Kowalski Lindqvist Moreau Novak Okoro Petrov",
    summaries=(
        "Clear on what they built and why; a couple of gaps I noted per criterion.",
        "Mixed: strong answers on data, thin on operations.",
        "Did not get far enough for me to see the depth we need.",
        "Solid throughout, nothing that worries me.",
        "Good instincts, though several answers stayed general when I probed.",
    ),
)

# When an interview's scorecards came in: the first a couple of hours after it, each next one
# an hour later.
FIRST_SUBMISSION_AFTER = timedelta(hours=2)
NEXT_SUBMISSION_AFTER = timedelta(hours=1)
