"""The illustrative outcomes and actions of the demo: invented, and marked so wherever shown.

The real outcomes and recommended actions of the 2021 strategy are not public; strategy
managers import them. These exist only so that the embedded demo has something to track.
"""

# goal code -> [(outcome title, [(action title, lead organisation), ...]), ...]
DEMO_OUTCOMES: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
    "G1": [
        (
            "A liaison function links field users with technology developers",
            [
                ("Appoint digital focal points in every mission", "DPO"),
                ("Run a quarterly field-to-Headquarters challenge call", "OICT"),
                ("Publish a catalogue of field technology needs", "DOS"),
            ],
        ),
        (
            "Field innovation is piloted, assessed and scaled",
            [
                ("Set up a mission innovation fund with clear criteria", "DMSPC"),
                ("Evaluate each pilot against agreed success measures", "DPO"),
                ("Hand over successful pilots to sustained operations", "DOS"),
            ],
        ),
        (
            "Staff have the digital skills the transformation needs",
            [
                ("Deliver a digital literacy course for mission personnel", "DOS"),
                ("Train senior leadership on overseeing digital change", "DPO"),
                ("Create a community of practice across missions", "OICT"),
            ],
        ),
    ],
    "G2": [
        (
            "Missions share one set of core digital platforms",
            [
                ("Adopt a common situational awareness platform", "DOS"),
                ("Standardise mission data on shared reference lists", "OICT"),
                ("Retire duplicated local systems", "DOS"),
            ],
        ),
        (
            "Connectivity supports mandate work in remote locations",
            [
                ("Extend reliable connectivity to team sites", "OICT"),
                ("Provide offline-capable reporting tools", "OICT"),
                ("Monitor network availability across missions", "DOS"),
            ],
        ),
        (
            "Data informs mission planning and decisions",
            [
                ("Establish a mission data governance board", "DPO"),
                ("Publish monthly data-driven planning briefs", "DPO"),
                ("Integrate performance data into mission planning", "DMSPC"),
            ],
        ),
    ],
    "G3": [
        (
            "Early warning reaches decision makers in time",
            [
                ("Connect early warning networks to mission operations centres", "DPO"),
                ("Set response time targets for early warning alerts", "DPO"),
                ("Review early warning performance after each incident", "DOS"),
            ],
        ),
        (
            "Camps and convoys are better protected",
            [
                ("Deploy camp perimeter sensing in high-threat locations", "DOS"),
                ("Track convoys with near-real-time positioning", "DOS"),
                ("Exercise threat response plans twice a year", "DPO"),
            ],
        ),
        (
            "Mis- and disinformation is detected and answered",
            [
                ("Monitor public information channels for hostile narratives", "DPO"),
                ("Train public information teams on rapid response", "DPO"),
                ("Share findings with host authorities and partners", "DPO"),
            ],
        ),
    ],
    "G4": [
        (
            "Technology is used under clear principles",
            [
                ("Issue guidance applying the twelve principles", "DPO"),
                ("Include principle checks in technology procurement", "DMSPC"),
                ("Report annually on principle compliance", "DMSPC"),
            ],
        ),
        (
            "Human rights due diligence covers every deployment",
            [
                ("Carry out a human rights risk assessment before deployment", "DPO"),
                ("Set up a channel for communities to raise concerns", "DPO"),
                ("Audit data protection in mission systems", "OICT"),
            ],
        ),
        (
            "Systems are accessible and secure",
            [
                ("Test mission applications for accessibility", "OICT"),
                ("Apply the UN information sensitivity levels to mission data", "OICT"),
                ("Run an annual cyber security exercise in each mission", "OICT"),
            ],
        ),
    ],
}

# Some French titles, to show how content looks when it is translated and when it is not.
FRENCH_TITLES = {
    "A liaison function links field users with technology developers": (
        "Une fonction de liaison relie les utilisateurs du terrain aux développeurs"
    ),
    "Appoint digital focal points in every mission": (
        "Nommer des points focaux numériques dans chaque mission"
    ),
    "Early warning reaches decision makers in time": (
        "L'alerte précoce parvient à temps aux décideurs"
    ),
    "Technology is used under clear principles": (
        "La technologie est utilisée selon des principes clairs"
    ),
}

NARRATIVES = {
    "not_started": "Work has not started yet; the team is waiting for resources.",
    "on_track": "Work is progressing as planned; the latest milestone was met.",
    "at_risk": "Delivery is at risk: staff rotation has left the task without an owner.",
    "off_track": "Work is off track: procurement has stalled and the due date will be missed.",
    "completed": "The action is complete and has been handed over to operations.",
    "cancelled": "The action was cancelled after the mission's mandate changed.",
    "not_applicable": "This action does not apply to the mission's current mandate.",
}
