"""The demo article in French and Arabic: the same evidence records, each
article in its own words (see docs/how-to/translate.md).

Only the article is translated: its title, standfirst and warning, and what its
blocks say (headings, captions, disclosures, claims). The evidence records are
shared by the three articles, as a newsroom's desk shares them; the package
renders their labels, badges, dates and warnings in each article's language.
"""

NBSP = "\u00a0"

ARTICLES = {
    "fr": {
        "title": "Des vidéos montrent des combattants syriens sur le front du Haut-Karabakh",
        "slug": "combattants-syriens-haut-karabakh",
        "standfirst": (
            "Des images partagées en ligne depuis fin septembre montrent des recrues syriennes "
            "à l'entraînement, en route et au front en Azerbaïdjan. Ankara et Bakou démentent "
            "les avoir envoyées."
        ),
        "content_warning_text": "certaines images et vidéos décrites dans cet article peuvent choquer.",
    },
    "ar": {
        "title": "مقاطع فيديو تُظهر مقاتلين سوريين على جبهة ناغورنو قره باغ",
        "slug": "مقاتلون-سوريون-ناغورنو-قره-باغ",
        "standfirst": (
            "تُظهر مقاطع متداولة على الإنترنت منذ أواخر سبتمبر/أيلول مجندين سوريين يتدربون "
            "وفي طريقهم إلى الجبهة وعليها في أذربيجان. وتنفي أنقرة وباكو إرسالهم."
        ),
        "content_warning_text": "قد تكون بعض الصور ومقاطع الفيديو الموصوفة في هذا المقال صادمة.",
    },
}

# The working titles of the records, as each article heads the item itself.
HEADINGS = {
    "Training camp near Hawar Kilis": (
        "Camp d'entraînement près de Hawar Kilis",
        "معسكر تدريب قرب حوار كلس",
    ),
    "Convoy in Horadiz": ("Convoi à Horadiz", "قافلة في هوراديز"),
    "Fighters call on others to join them": (
        "Des combattants appellent à les rejoindre",
        "مقاتلون يدعون آخرين للانضمام إليهم",
    ),
    "Bodies of soldiers near Marjan": (
        "Corps de soldats près de Marjan",
        "جثث جنود قرب مرجان",
    ),
    "Fighters on the front line, 12 October": (
        "Des combattants en première ligne, le 12 octobre",
        "مقاتلون على خط الجبهة، 12 أكتوبر/تشرين الأول",
    ),
    "Mustapha Qanti under fire": (
        "Mustapha Qanti sous le feu",
        "مصطفى قنطي تحت النيران",
    ),
    "Mustapha Qanti finds abandoned ammunition": (
        "Mustapha Qanti trouve des munitions abandonnées",
        "مصطفى قنطي يعثر على ذخيرة متروكة",
    ),
    "Recruitment speech in Shaykh al-Hadid": (
        "Discours de recrutement à Cheikh al-Hadid",
        "خطاب تجنيد في شيخ الحديد",
    ),
}

# Everything else the article's blocks say: English -> (French, Arabic).
TEXT = {
    "<p>Fighting over Nagorno-Karabakh resumed on 27 September 2020 and a truce agreed on 18 October collapsed within hours. Turkey backs Azerbaijan; Armenia supports the separatists.</p>": (
        "<p>Les combats pour le Haut-Karabakh ont repris le 27 septembre 2020 et une trêve conclue le 18 octobre a volé en éclats en quelques heures. La Turquie soutient l'Azerbaïdjan"
        f"{NBSP}; l'Arménie appuie les séparatistes.</p>",
        "<p>استؤنف القتال في ناغورنو قره باغ في 27 سبتمبر/أيلول 2020، وانهارت خلال ساعات هدنةٌ اتُّفق عليها في 18 أكتوبر/تشرين الأول. تدعم تركيا أذربيجان، فيما تساند أرمينيا الانفصاليين.</p>",
    ),
    "Turkey and Azerbaijan did not recruit Syrian fighters, and there are no Syrian troops in Nagorno-Karabakh.": (
        "La Turquie et l'Azerbaïdjan n'ont pas recruté de combattants syriens, et il n'y a pas de troupes syriennes au Haut-Karabakh.",
        "لم تجنّد تركيا وأذربيجان مقاتلين سوريين، ولا توجد قوات سورية في ناغورنو قره باغ.",
    ),
    "The defence ministers of Azerbaijan and Turkey": (
        "Les ministres de la Défense de l'Azerbaïdjan et de la Turquie",
        "وزيرا الدفاع الأذربيجاني والتركي",
    ),
    "At least four videos, geolocated and checked by journalists and specialists, show Syrian fighters on their way to or at the front.": (
        "Au moins quatre vidéos, géolocalisées et vérifiées par des journalistes et des spécialistes, montrent des combattants syriens en route vers le front ou sur place.",
        "تُظهر أربعة مقاطع فيديو على الأقل، حدّد صحفيون ومختصون مواقعها وتحققوا منها، مقاتلين سوريين في طريقهم إلى الجبهة أو عليها.",
    ),
    "A training camp in northern Aleppo": (
        "Un camp d'entraînement dans le nord d'Alep",
        "معسكر تدريب في شمال حلب",
    ),
    "Recruits prepare to leave for Azerbaijan.": (
        "Des recrues se préparent à partir pour l'Azerbaïdjan.",
        "مجندون يستعدون للتوجه إلى أذربيجان.",
    ),
    "We do not know when it was filmed: only that it has been shared on Telegram since 25 September 2020.": (
        f"Nous ne savons pas quand elle a été tournée{NBSP}: seulement qu'elle circule sur Telegram depuis le 25 septembre 2020.",
        "لا نعرف متى صُوّر: نعرف فقط أنه متداول على تلغرام منذ 25 سبتمبر/أيلول 2020.",
    ),
    "A convoy in southern Azerbaijan": (
        "Un convoi dans le sud de l'Azerbaïdjan",
        "قافلة في جنوب أذربيجان",
    ),
    "Onlookers cheer in Turkish as the trucks pass.": (
        "Des badauds acclament en turc le passage des camions.",
        "مارّة يهتفون بالتركية لدى مرور الشاحنات.",
    ),
    "The day it was filmed, and which unit the fighters belong to, remain unknown.": (
        "Le jour du tournage et l'unité à laquelle appartiennent les combattants restent inconnus.",
        "لا يزال يوم التصوير والوحدة التي ينتمي إليها المقاتلون مجهولَين.",
    ),
    "A call to join the fight": (
        "Un appel à rejoindre les combats",
        "دعوة إلى الانضمام إلى القتال",
    ),
    "Filmed by a fighter for comrades who stayed in Syria.": (
        "Filmée par un combattant pour ses camarades restés en Syrie.",
        "صوّره مقاتل لرفاقه الذين بقوا في سوريا.",
    ),
    "Where it was filmed could not be established.": (
        "Le lieu du tournage n'a pas pu être établi.",
        "تعذّر تحديد مكان التصوير.",
    ),
    "Bodies near Marjan": ("Des corps près de Marjan", "جثث قرب مرجان"),
    "<p>Because this video shows the bodies of dead soldiers, we link to it rather than show it.</p>": (
        "<p>Parce que cette vidéo montre les corps de soldats tués, nous renvoyons vers elle plutôt que de la montrer.</p>",
        "<p>لأن هذا الفيديو يُظهر جثث جنود قتلى، نكتفي بالإحالة إليه بدلًا من عرضه.</p>",
    ),
    "The fighter's division is his own claim; no one else has confirmed it.": (
        f"La division du combattant, c'est lui qui l'affirme{NBSP}; personne d'autre ne l'a confirmée.",
        "الفرقة التي ينتمي إليها المقاتل هي ما يقوله هو؛ ولم يؤكدها أحد غيره.",
    ),
    "Who counts the dead": ("Qui compte les morts", "من يحصي القتلى"),
    "Syrian fighters have been killed in Azerbaijan, bodies repatriated, and fighters moved from Syria in groups of about 400.": (
        "Des combattants syriens ont été tués en Azerbaïdjan, des corps rapatriés, et des combattants acheminés depuis la Syrie par groupes d'environ 400.",
        "قُتل مقاتلون سوريون في أذربيجان، وأُعيدت جثث إلى سوريا، ونُقل مقاتلون منها في مجموعات من نحو 400.",
    ),
    "Syrian Observatory for Human Rights (SOHR)": (
        "Observatoire syrien des droits de l'homme (OSDH)",
        "المرصد السوري لحقوق الإنسان",
    ),
    "Syrian fighters killed in Azerbaijan": (
        "combattants syriens tués en Azerbaïdjan",
        "مقاتلًا سوريًا قُتلوا في أذربيجان",
    ),
    "bodies repatriated": ("corps rapatriés", "جثة أُعيدت إلى سوريا"),
    "2,050": (f"2{NBSP}050", "2050"),
    "fighters transported from Syria": (
        "combattants acheminés depuis la Syrie",
        "مقاتلًا نُقلوا من سوريا",
    ),
    "We could not verify these figures independently, nor speak to a Syrian fighter.": (
        "Nous n'avons pas pu vérifier ces chiffres de manière indépendante, ni parler à un combattant syrien.",
        "لم نتمكن من التحقق من هذه الأرقام بشكل مستقل، ولا من التحدث إلى مقاتل سوري.",
    ),
    "Recruitment began in July, and fighters were promised between US$1,200 and US$1,500.": (
        f"Le recrutement a commencé en juillet, et les combattants se sont vu promettre entre 1{NBSP}200 et 1{NBSP}500 dollars.",
        "بدأ التجنيد في يوليو/تموز، ووُعد المقاتلون بما بين 1200 و1500 دولار.",
    ),
    "The Independent": ("The Independent", "صحيفة ذي إندبندنت"),
    "US$1,200–1,500": (f"1{NBSP}200 à 1{NBSP}500{NBSP}$", "1200–1500 دولار"),
    "promised to each fighter": ("promis à chaque combattant", "وُعد بها كل مقاتل"),
    "An estimated 83 percent of Syrians live below the poverty line.": (
        "Environ 83 % des Syriens vivent sous le seuil de pauvreté.".replace(
            " %", f"{NBSP}%"
        ),
        "يعيش نحو 83 في المئة من السوريين تحت خط الفقر.",
    ),
    "United Nations": ("Nations unies", "الأمم المتحدة"),
    "a report on poverty in Syria": (
        "un rapport sur la pauvreté en Syrie",
        "تقرير عن الفقر في سوريا",
    ),
    "interviews with Syrian fighters who went to Azerbaijan": (
        "des entretiens avec des combattants syriens partis en Azerbaïdjan",
        "مقابلات مع مقاتلين سوريين ذهبوا إلى أذربيجان",
    ),
    "83%": (f"83{NBSP}%", "83%"),
    "of Syrians below the poverty line": (
        "des Syriens sous le seuil de pauvreté",
        "من السوريين تحت خط الفقر",
    ),
    "<p>Fanny Alarcon, who covers the Middle East for Intelligence Online, told us that Turkey has grown used to redeploying Syrian fighters, who are cheap and already trained, and that money, not ideology, now drives most of them.</p>": (
        "<p>Fanny Alarcon, qui couvre le Moyen-Orient pour Intelligence Online, nous a expliqué que la Turquie a pris l'habitude de redéployer des combattants syriens, peu coûteux et déjà formés, et que c'est l'argent, et non l'idéologie, qui motive désormais la plupart d'entre eux.</p>",
        "<p>قالت لنا فاني ألاركون، التي تغطي الشرق الأوسط لموقع إنتليجنس أونلاين، إن تركيا اعتادت إعادة نشر مقاتلين سوريين، فهم قليلو الكلفة ومدرَّبون أصلًا، وإن المال لا العقيدة هو ما يحرّك معظمهم اليوم.</p>",
    ),
    "Published on 12 October.": (
        "Publiée le 12 octobre.",
        "نُشر في 12 أكتوبر/تشرين الأول.",
    ),
    "Our verification desk has not yet checked this video.": (
        "Notre cellule de vérification n'a pas encore examiné cette vidéo.",
        "لم يفحص مكتب التحقق لدينا هذا الفيديو بعد.",
    ),
    "Each side's toll": ("Le bilan de chaque camp", "حصيلة كل طرف"),
    "Armenia's military death toll has reached 963.": (
        "Le bilan militaire arménien atteint 963 morts.",
        "بلغت حصيلة القتلى العسكريين الأرمن 963.",
    ),
    "Armenian authorities": ("Les autorités arméniennes", "السلطات الأرمنية"),
    "Armenian soldiers killed": ("soldats arméniens tués", "جنديًا أرمنيًا قُتلوا"),
    "65 civilians have died in Azerbaijan; the country does not publish military casualties.": (
        f"65 civils sont morts en Azerbaïdjan{NBSP}; le pays ne publie pas ses pertes militaires.",
        "قُتل 65 مدنيًا في أذربيجان؛ ولا تنشر البلاد خسائرها العسكرية.",
    ),
    "Azerbaijani authorities": (
        "Les autorités azerbaïdjanaises",
        "السلطات الأذربيجانية",
    ),
    "Azerbaijani civilians killed": (
        "civils azerbaïdjanais tués",
        "مدنيًا أذربيجانيًا قُتلوا",
    ),
}

LANGUAGES = ("fr", "ar")


def translate(text, language):
    """``text`` in ``language``, or unchanged where it needs no translation (figures)."""
    if text in TEXT:
        return TEXT[text][LANGUAGES.index(language)]
    return text


def heading_for(title, language):
    return HEADINGS[title][LANGUAGES.index(language)] if title in HEADINGS else title
