"""The demo article: a verification story about Syrian fighters on the
Nagorno-Karabakh front, each of its elements mapped onto the model as the table
in docs/explanation/verification-model.md ("The demo story") shows.

Facts (places, dates, names, figures) come from the published story it retells;
every sentence here is the demo's own. Media addresses are placeholders on the providers' real
hosts, so that they parse, but nothing here is fetched.

A record's "poster" names a scene of newsroom/stills.py, which draws the still
when `load_demo` runs. "Mustapha Qanti under fire" has none: a fighter filming
himself is not something to draw, and readers see the plain tile instead.

A record with "capture" keeps the desk's own capture of the footage as its
original file: the still of its poster's scene, signed with Content Credentials by the
desk's capture tool (newsroom/desk_capture.py) where the c2pa extra is
installed. One record has one: "Fighters call on others to join them", which
the desk identified itself from the video the news sites relayed.
"""

import datetime


D = datetime.date

EVIDENCE = [
    {
        "key": "camp",
        "title": "Training camp near Hawar Kilis",
        "media_url": "https://t.me/demo_observers/2501",
        "description": "Young men in fatigues train and talk at an outdoor camp.",
        "appearances": [
            {
                "platform": "telegram",
                "account": "Telegram channels",
                "url": "https://t.me/demo_observers/2501",
                "first_seen": D(2020, 9, 25),
            },
        ],
        "place": "Hawar Kilis",
        "region": "Northern Aleppo",
        "country": "Syria",
        "latitude": "36.545000",
        "longitude": "37.055000",
        "location_precision": "vicinity",
        "location_status": "confirmed",
        "location_method": "Matched buildings and terrain in the footage to a training camp that the Free Syrian Army set up in 2016, close to the Turkish border.",
        "date_status": "not_established",
        "date_method": "The video has circulated on Telegram since 25 September 2020; when it was filmed is unknown.",
        "identified": "Syrian fighters from the north-west of Syria",
        "identity_status": "confirmed",
        "identity_method": "Local Syrian journalists who watched the video recognised the fighters' north-western accents.",
        "verdict": "verified",
        "credits": [
            {"name": "Obretix", "role": "geolocation"},
            {"name": "Local Syrian journalists", "role": "identification"},
        ],
        "tags": ["Hawar Kilis", "Syrian National Army"],
        "poster": "camp",
    },
    {
        "key": "convoy",
        "title": "Convoy in Horadiz",
        "media_url": "https://t.me/demo_observers/2533",
        "description": "Pick-up trucks carry armed men down a street lined with onlookers.",
        "appearances": [
            {
                "platform": "telegram",
                "account": "Syrian social media",
                "url": "https://t.me/demo_observers/2533",
                "first_seen": D(2020, 9, 27),
            },
        ],
        "place": "Horadiz",
        "region": "Fuzuli district",
        "country": "Azerbaijan",
        "latitude": "39.448000",
        "longitude": "47.336000",
        "location_precision": "vicinity",
        "location_status": "confirmed",
        "location_method": "Street furniture and shop fronts matched to a street in the town.",
        "date_status": "not_established",
        "date_method": "Online since 27 September 2020; no one has established the day it was filmed.",
        "identified": "Fighters chanting a war cry associated with the Syrian National Army",
        "identity_status": "not_established",
        "identity_method": "The chant is commonly used by the Syrian National Army but does not identify a unit.",
        "verdict": "verified",
        "credits": [
            {"name": "Social media users", "role": "geolocation"},
            {
                "name": "Investigative media specialising in geolocation",
                "role": "geolocation",
            },
        ],
        "tags": ["Horadiz"],
        "poster": "convoy",
    },
    {
        # Recycled footage: the convoy video, posted again five weeks later as
        # new. Its poster is the convoy's still as the repost has it
        # (stills.RECYCLED), so the admin flags it as a near-duplicate.
        "key": "convoy-reshared",
        "title": "Convoy video posted again as new, 2 November",
        "media_url": "https://t.me/demo_observers/2790",
        "description": "Pick-up trucks carry armed men down a street lined with onlookers.",
        "appearances": [
            {
                "platform": "telegram",
                "account": "A relay channel",
                "url": "https://t.me/demo_observers/2790",
                "first_seen": D(2020, 11, 2),
            },
        ],
        "authenticity_category": "DecontextualizedContent",
        "authenticity_status": "confirmed",
        "authenticity_method": (
            "The same footage as the convoy video online since 27 September, "
            "shared again as if it were new."
        ),
        "verdict": "misleading",
        "verdict_note": "Recycled footage: not filmed on or near 2 November.",
        "tags": ["Horadiz", "Recycled footage"],
        "poster": "convoy-reshared",
    },
    {
        "key": "call",
        "title": "Fighters call on others to join them",
        "media_url": "https://aleppo-news.example/2020/10/03/video",
        "display": "link",
        "description": "Soldiers dance and pose for the camera beside a logo reading “Syrian National Army in Azerbaijan”.",
        "appearances": [
            {
                "platform": "news_site",
                "account": "Local news sites in Aleppo",
                "url": "https://aleppo-news.example/2020/10/03/video",
                "first_seen": D(2020, 10, 3),
            },
        ],
        "location_status": "not_established",
        "location_method": "Nothing in the footage places it.",
        "identified": "Sultan Murad division, Syrian National Army",
        "identity_status": "confirmed",
        "identity_method": "The on-screen logo and the song praising the division, which has Turkmen roots.",
        "verdict": "verified",
        "credits": [
            {
                "name": "Observers desk",
                "organisation": "Demo newsroom",
                "role": "identification",
            },
        ],
        "tags": ["Sultan Murad division"],
        "poster": "call",  # with the unit's logo, drawn as an abstract emblem
        # The desk's capture of the video as the news sites showed it.
        "capture": True,
    },
    {
        "key": "bodies",
        "title": "Bodies of soldiers near Marjan",
        "media_url": "https://x.com/demo_observers/status/1315024660000000000",
        "display": "link",
        "description": "A fighter walks among the bodies of dead soldiers and shows the weapons and ammunition taken from them.",
        "warning_level": "graphic",
        "warning_categories": ["violence", "dead_or_injured"],
        "appearances": [
            {
                "platform": "x",
                "account": "Accounts close to the fighters",
                "url": "https://x.com/demo_observers/status/1315024660000000000",
                "first_seen": D(2020, 10, 10),
            },
        ],
        "place": "Marjan",
        "region": "Southern Azerbaijan, near the border with Iran",
        "country": "Azerbaijan",
        "location_precision": "vicinity",
        "location_status": "confirmed",
        "location_method": "Geolocated to the outskirts of the village, in an area under Azerbaijani control.",
        "filmed_on": D(2020, 10, 3),
        "filmed_on_precision": "approximate",
        "date_status": "confirmed",
        "date_method": "Filmed around 3 October 2020; shared from 10 October.",
        "identified": "A fighter who says he belongs to the Hamza division",
        "identity_status": "not_established",
        "identity_method": "He names his division himself; no one else has confirmed it.",
        "verdict": "verified",
        "credits": [
            {
                "name": "Alexander McKeever",
                "organisation": "Bellingcat",
                "role": "geolocation",
                "url": "https://www.bellingcat.com/",
            },
        ],
        "tags": ["Hamza division", "Marjan"],
        # Never shown to readers (a warned, link-only item) and blurred in the
        # admin; even so, a neutral scene with no one in it.
        "poster": "hillside",
    },
    {
        "key": "frontline",
        "title": "Fighters on the front line, 12 October",
        "media_url": "https://www.youtube.com/watch?v=Zx8cV2bN4mQ",
        "description": "Fighters shout for ammunition as they advance.",
        "appearances": [
            {
                "platform": "youtube",
                "account": "A fighter's account",
                "url": "https://www.youtube.com/watch?v=Zx8cV2bN4mQ",
                "first_seen": D(2020, 10, 12),
            },
        ],
        "tags": ["Front line"],
        "poster": "frontline",
    },
    {
        "key": "qanti-fire",
        "title": "Mustapha Qanti under fire",
        "media_url": "https://t.me/demo_observers/2610",
        "description": "A young fighter films himself, frightened, as shrapnel falls near him.",
        "warning_level": "disturbing",
        "warning_categories": ["distress"],
        "appearances": [
            {
                "platform": "telegram",
                "account": "Mustapha Qanti",
                "url": "https://t.me/demo_observers/2610",
                "first_seen": D(2020, 10, 1),
                "first_seen_precision": "month",
            },
        ],
        "identified": "Mustapha Qanti, 23, recruited by the Hamza division",
        "identity_status": "confirmed",
        "identity_method": "Identified by a researcher who follows the Syrian factions.",
        "verdict": "verified",
        "credits": [{"name": "Elizabeth Tsurkov", "role": "identification"}],
        "tags": ["Mustapha Qanti", "Hamza division"],
    },
    {
        "key": "qanti-ammo",
        "title": "Mustapha Qanti finds abandoned ammunition",
        "media_url": "https://t.me/demo_observers/2614",
        "description": "A fighter shows ammunition left behind by retreating soldiers.",
        "appearances": [
            {
                "platform": "telegram",
                "account": "Mustapha Qanti",
                "url": "https://t.me/demo_observers/2614",
                "first_seen": D(2020, 10, 1),
                "first_seen_precision": "month",
            },
        ],
        "place": "Horadiz",
        "country": "Azerbaijan",
        # The desk keeps the spot to itself: a named fighter, on the front line.
        "latitude": "39.461200",
        "longitude": "47.305100",
        "withhold_coordinates": True,
        "location_precision": "locality",
        "location_status": "confirmed",
        "location_method": "Internet users placed it near the border town; crowd-sourced, not by our desk.",
        "identified": "Mustapha Qanti",
        "identity_status": "confirmed",
        "identity_method": "Same fighter as in the video filmed under fire.",
        "verdict": "verified",
        "credits": [
            {"name": "Internet users", "role": "geolocation"},
            {"name": "Elizabeth Tsurkov", "role": "identification"},
        ],
        "tags": ["Mustapha Qanti", "Horadiz"],
        "poster": "ammunition",
    },
    {
        "key": "recruitment",
        "title": "Recruitment speech in Shaykh al-Hadid",
        "media_url": "https://www.facebook.com/demo.observers/videos/1234567890123",
        "description": "A man addresses a crowd and urges them to sign up to fight abroad.",
        "appearances": [
            {
                "platform": "facebook",
                "account": "Afrin Post",
                "url": "https://www.facebook.com/demo.observers/videos/1234567890123",
            },
        ],
        "place": "Shaykh al-Hadid",
        "region": "Aleppo province",
        "country": "Syria",
        "location_precision": "locality",
        "location_status": "confirmed",
        "location_method": "Verified by a local outlet that knows the town, near the Turkish border.",
        "authenticity_category": "OriginalMediaContent",
        "authenticity_status": "confirmed",
        "authenticity_method": "Checked as original footage by a local outlet.",
        "verdict": "verified",
        "credits": [{"name": "Afrin Post", "role": "verification"}],
        "tags": ["Recruitment"],
        "poster": "recruitment",
    },
]

ARTICLE = {
    "title": "Videos place Syrian fighters on the Nagorno-Karabakh front",
    "slug": "syrian-fighters-nagorno-karabakh",
    "standfirst": (
        "Footage shared online since late September shows Syrian recruits in training, "
        "on the road and at the front in Azerbaijan. Ankara and Baku deny sending them."
    ),
    "content_warning_text": "some images and videos described in this article may shock.",
}


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def heading(text):
    return {"type": "heading", "value": text}


def evidence(key, heading_text="", caption="", disclosure=""):
    return {
        "type": "evidence",
        "value": {
            "evidence": key,
            "heading": heading_text,
            "caption": caption,
            "disclosure": disclosure,
            "display": "",
        },
    }


def claim(**value):
    value.setdefault("figures", [])
    value.setdefault("evidence", [])
    value.setdefault("source_url", "")
    value.setdefault("claimed_on", None)
    value.setdefault("claimed_on_precision", "exact")
    value.setdefault("source_title", "")
    value.setdefault("assessment_note", "")
    value.setdefault("claimant_kind", "")
    return {"type": "claim", "value": value}


def figure(number, label):
    return {"figure": number, "label": label}


BODY = [
    paragraph(
        "Fighting over Nagorno-Karabakh resumed on 27 September 2020 and a truce agreed on 18 October collapsed within hours. Turkey backs Azerbaijan; Armenia supports the separatists."
    ),
    claim(
        stance="denial",
        statement="Turkey and Azerbaijan did not recruit Syrian fighters, and there are no Syrian troops in Nagorno-Karabakh.",
        claimant="The defence ministers of Azerbaijan and Turkey",
        claimant_kind="government",
        assessment="contradicted",
        assessment_note="At least four videos, geolocated and checked by journalists and specialists, show Syrian fighters on their way to or at the front.",
        evidence=["camp", "convoy", "call", "bodies"],
    ),
    heading("A training camp in northern Aleppo"),
    evidence(
        "camp",
        caption="Recruits prepare to leave for Azerbaijan.",
        disclosure="We do not know when it was filmed: only that it has been shared on Telegram since 25 September 2020.",
    ),
    heading("A convoy in southern Azerbaijan"),
    evidence(
        "convoy",
        caption="Onlookers cheer in Turkish as the trucks pass.",
        disclosure="The day it was filmed, and which unit the fighters belong to, remain unknown.",
    ),
    heading("A call to join the fight"),
    evidence(
        "call",
        caption="Filmed by a fighter for comrades who stayed in Syria.",
        disclosure="Where it was filmed could not be established.",
    ),
    heading("Bodies near Marjan"),
    paragraph(
        "Because this video shows the bodies of dead soldiers, we link to it rather than show it."
    ),
    evidence(
        "bodies",
        disclosure="The fighter's division is his own claim; no one else has confirmed it.",
    ),
    heading("Who counts the dead"),
    claim(
        stance="assertion",
        statement="Syrian fighters have been killed in Azerbaijan, bodies repatriated, and fighters moved from Syria in groups of about 400.",
        claimant="Syrian Observatory for Human Rights (SOHR)",
        claimant_kind="ngo",
        claimed_on="2020-10-18",
        figures=[
            figure("134", "Syrian fighters killed in Azerbaijan"),
            figure("92", "bodies repatriated"),
            figure("2,050", "fighters transported from Syria"),
        ],
        assessment="not_verified",
        assessment_note="We could not verify these figures independently, nor speak to a Syrian fighter.",
    ),
    claim(
        stance="assertion",
        statement="Recruitment began in July, and fighters were promised between US$1,200 and US$1,500.",
        claimant="The Independent",
        claimant_kind="media",
        # The story names the newspaper and whom it spoke to, not the day or the link.
        source_title="interviews with Syrian fighters who went to Azerbaijan",
        figures=[figure("US$1,200–1,500", "promised to each fighter")],
        assessment="not_verified",
    ),
    claim(
        stance="assertion",
        statement="An estimated 83 percent of Syrians live below the poverty line.",
        claimant="United Nations",
        claimant_kind="international",
        claimed_on="2019-01-01",
        claimed_on_precision="year",  # "a 2019 report": readers see 2019
        source_title="a report on poverty in Syria",
        figures=[figure("83%", "of Syrians below the poverty line")],
        assessment="not_verified",
    ),
    paragraph(
        "Fanny Alarcon, who covers the Middle East for Intelligence Online, told us that Turkey has grown used to redeploying Syrian fighters, who are cheap and already trained, and that money, not ideology, now drives most of them."
    ),
    evidence(
        "frontline",
        caption="Published on 12 October.",
        disclosure="Our verification desk has not yet checked this video.",
    ),
    evidence("qanti-fire"),
    evidence("qanti-ammo"),
    evidence("recruitment"),
    heading("Each side's toll"),
    claim(
        stance="assertion",
        statement="Armenia's military death toll has reached 963.",
        claimant="Armenian authorities",
        claimant_kind="party",
        claimed_on="2020-10-25",
        figures=[figure("963", "Armenian soldiers killed")],
        assessment="not_verified",
    ),
    claim(
        stance="counter_claim",
        statement="65 civilians have died in Azerbaijan; the country does not publish military casualties.",
        claimant="Azerbaijani authorities",
        claimant_kind="party",
        claimed_on="2020-10-25",
        figures=[figure("65", "Azerbaijani civilians killed")],
        assessment="not_verified",
    ),
]
