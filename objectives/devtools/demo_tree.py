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

# The demo's titles in the other official languages (ar, zh-hans, fr, ru, es), so that
# the demo shows what complete content looks like; like the English, they are invented
# and unofficial.
DEMO_LANGUAGES = ("ar", "zh-hans", "fr", "ru", "es")
ILLUSTRATIVE_DESCRIPTION = (
    "Illustrative action for the demo; not part of the adopted strategy."
)
DEMO_TRANSLATIONS: dict[str, tuple[str, str, str, str, str]] = {
    ILLUSTRATIVE_DESCRIPTION: (
        "إجراء توضيحي للعرض؛ ليس جزءاً من الاستراتيجية المعتمدة.",
        "为演示而设的示例行动；不属于已通过的战略。",
        "Action illustrative pour la démonstration ; elle ne fait pas partie de la stratégie adoptée.",
        "Иллюстративное мероприятие для демонстрации; не входит в принятую стратегию.",
        "Acción ilustrativa para la demostración; no forma parte de la estrategia adoptada.",
    ),
    "A liaison function links field users with technology developers": (
        "وظيفة اتصال تربط المستخدمين في الميدان بمطوّري التكنولوجيا",
        "联络职能将外地用户与技术开发人员联系起来",
        "Une fonction de liaison relie les utilisateurs du terrain aux développeurs",
        "Функция связи объединяет пользователей на местах с разработчиками технологий",
        "Una función de enlace conecta a los usuarios sobre el terreno con los desarrolladores de tecnología",
    ),
    "Appoint digital focal points in every mission": (
        "تعيين منسقين رقميين في كل بعثة",
        "在每个特派团任命数字协调人",
        "Nommer des points focaux numériques dans chaque mission",
        "Назначить координаторов по цифровым вопросам в каждой миссии",
        "Nombrar coordinadores digitales en cada misión",
    ),
    "Run a quarterly field-to-Headquarters challenge call": (
        "تنظيم دعوة فصلية لطرح التحديات من الميدان إلى المقر",
        "每季度开展一次外地向总部征集挑战的活动",
        "Organiser chaque trimestre un appel à défis du terrain vers le Siège",
        "Ежеквартально проводить конкурс задач от мест для Центральных учреждений",
        "Organizar cada trimestre una convocatoria de retos del terreno a la Sede",
    ),
    "Publish a catalogue of field technology needs": (
        "نشر دليل باحتياجات الميدان من التكنولوجيا",
        "发布外地技术需求目录",
        "Publier un catalogue des besoins technologiques du terrain",
        "Опубликовать каталог технологических потребностей на местах",
        "Publicar un catálogo de las necesidades tecnológicas sobre el terreno",
    ),
    "Field innovation is piloted, assessed and scaled": (
        "تجريب الابتكار الميداني وتقييمه وتوسيع نطاقه",
        "外地创新得到试点、评估和推广",
        "L'innovation de terrain est expérimentée, évaluée et étendue",
        "Инновации на местах проходят апробацию, оценку и масштабирование",
        "La innovación sobre el terreno se pone a prueba, se evalúa y se amplía",
    ),
    "Set up a mission innovation fund with clear criteria": (
        "إنشاء صندوق للابتكار في البعثات بمعايير واضحة",
        "设立标准明确的特派团创新基金",
        "Créer un fonds d'innovation des missions aux critères clairs",
        "Создать фонд инноваций миссий с чёткими критериями",
        "Crear un fondo de innovación de las misiones con criterios claros",
    ),
    "Evaluate each pilot against agreed success measures": (
        "تقييم كل مشروع تجريبي وفق مقاييس نجاح متفق عليها",
        "对照商定的成功标准评估每个试点",
        "Évaluer chaque projet pilote au regard de critères de réussite convenus",
        "Оценивать каждый пилотный проект по согласованным показателям успеха",
        "Evaluar cada proyecto piloto con arreglo a indicadores de éxito acordados",
    ),
    "Hand over successful pilots to sustained operations": (
        "تسليم المشاريع التجريبية الناجحة إلى العمليات المستدامة",
        "将成功的试点移交常规运行",
        "Transférer les projets pilotes réussis vers l'exploitation durable",
        "Передавать успешные пилотные проекты в постоянную эксплуатацию",
        "Transferir los proyectos piloto exitosos a las operaciones permanentes",
    ),
    "Staff have the digital skills the transformation needs": (
        "يمتلك الموظفون المهارات الرقمية التي يتطلبها التحول",
        "工作人员具备转型所需的数字技能",
        "Le personnel possède les compétences numériques qu'exige la transformation",
        "Сотрудники обладают цифровыми навыками, необходимыми для трансформации",
        "El personal tiene las competencias digitales que requiere la transformación",
    ),
    "Deliver a digital literacy course for mission personnel": (
        "تقديم دورة في محو الأمية الرقمية لأفراد البعثات",
        "为特派团人员开设数字素养课程",
        "Dispenser un cours de culture numérique au personnel des missions",
        "Провести курс цифровой грамотности для персонала миссий",
        "Impartir un curso de alfabetización digital al personal de las misiones",
    ),
    "Train senior leadership on overseeing digital change": (
        "تدريب القيادة العليا على الإشراف على التغيير الرقمي",
        "培训高级领导层监督数字变革",
        "Former les hauts responsables à la supervision du changement numérique",
        "Обучить старшее руководство управлению цифровыми изменениями",
        "Capacitar al personal directivo superior en la supervisión del cambio digital",
    ),
    "Create a community of practice across missions": (
        "إنشاء مجتمع ممارسة يشمل البعثات",
        "建立跨特派团的实践社群",
        "Créer une communauté de pratique entre les missions",
        "Создать профессиональное сообщество миссий",
        "Crear una comunidad de práctica entre las misiones",
    ),
    "Missions share one set of core digital platforms": (
        "تتشارك البعثات مجموعة واحدة من المنصات الرقمية الأساسية",
        "各特派团共用一套核心数字平台",
        "Les missions partagent un même ensemble de plateformes numériques de base",
        "Миссии используют единый набор основных цифровых платформ",
        "Las misiones comparten un mismo conjunto de plataformas digitales básicas",
    ),
    "Adopt a common situational awareness platform": (
        "اعتماد منصة مشتركة للوعي بالأوضاع",
        "采用统一的态势感知平台",
        "Adopter une plateforme commune de connaissance de la situation",
        "Внедрить общую платформу ситуационной осведомлённости",
        "Adoptar una plataforma común de conocimiento de la situación",
    ),
    "Standardise mission data on shared reference lists": (
        "توحيد بيانات البعثات وفق قوائم مرجعية مشتركة",
        "依据共享参考清单统一特派团数据",
        "Normaliser les données des missions sur des listes de référence communes",
        "Стандартизировать данные миссий по общим справочникам",
        "Normalizar los datos de las misiones con listas de referencia comunes",
    ),
    "Retire duplicated local systems": (
        "إيقاف الأنظمة المحلية المكررة",
        "停用重复的本地系统",
        "Mettre hors service les systèmes locaux redondants",
        "Вывести из эксплуатации дублирующие местные системы",
        "Retirar los sistemas locales duplicados",
    ),
    "Connectivity supports mandate work in remote locations": (
        "يدعم الاتصال تنفيذ الولاية في المواقع النائية",
        "网络连接支持偏远地点的任务工作",
        "La connectivité soutient l'exécution du mandat dans les lieux isolés",
        "Связь поддерживает выполнение мандата в отдалённых районах",
        "La conectividad respalda la labor del mandato en lugares remotos",
    ),
    "Extend reliable connectivity to team sites": (
        "توسيع الاتصال الموثوق ليشمل مواقع الأفرقة",
        "将可靠的网络连接扩展到各队部",
        "Étendre une connectivité fiable aux bases d'opérations",
        "Обеспечить надёжную связь на опорных пунктах",
        "Extender una conectividad fiable a las bases de operaciones",
    ),
    "Provide offline-capable reporting tools": (
        "توفير أدوات إبلاغ تعمل دون اتصال",
        "提供可离线使用的报告工具",
        "Fournir des outils de compte rendu utilisables hors ligne",
        "Предоставить инструменты отчётности, работающие без подключения",
        "Proporcionar herramientas de presentación de informes que funcionen sin conexión",
    ),
    "Monitor network availability across missions": (
        "رصد توافر الشبكة في جميع البعثات",
        "监测各特派团的网络可用性",
        "Surveiller la disponibilité du réseau dans les missions",
        "Отслеживать доступность сети во всех миссиях",
        "Vigilar la disponibilidad de la red en las misiones",
    ),
    "Data informs mission planning and decisions": (
        "تسترشد البيانات في تخطيط البعثات وقراراتها",
        "数据为特派团规划和决策提供依据",
        "Les données éclairent la planification et les décisions des missions",
        "Данные служат основой для планирования и решений миссий",
        "Los datos orientan la planificación y las decisiones de las misiones",
    ),
    "Establish a mission data governance board": (
        "إنشاء مجلس لحوكمة بيانات البعثة",
        "设立特派团数据治理委员会",
        "Créer un conseil de gouvernance des données de la mission",
        "Учредить совет по управлению данными миссии",
        "Crear una junta de gobernanza de datos de la misión",
    ),
    "Publish monthly data-driven planning briefs": (
        "نشر موجزات تخطيط شهرية قائمة على البيانات",
        "每月发布以数据为依据的规划简报",
        "Publier chaque mois des notes de planification fondées sur les données",
        "Ежемесячно публиковать аналитические записки для планирования на основе данных",
        "Publicar cada mes notas de planificación basadas en datos",
    ),
    "Integrate performance data into mission planning": (
        "إدماج بيانات الأداء في تخطيط البعثة",
        "将绩效数据纳入特派团规划",
        "Intégrer les données de performance à la planification de la mission",
        "Включить данные об эффективности в планирование миссии",
        "Integrar los datos de desempeño en la planificación de la misión",
    ),
    "Early warning reaches decision makers in time": (
        "يصل الإنذار المبكر إلى صانعي القرار في الوقت المناسب",
        "预警及时送达决策者",
        "L'alerte précoce parvient à temps aux décideurs",
        "Раннее предупреждение своевременно доходит до лиц, принимающих решения",
        "La alerta temprana llega a tiempo a quienes toman las decisiones",
    ),
    "Connect early warning networks to mission operations centres": (
        "ربط شبكات الإنذار المبكر بمراكز عمليات البعثة",
        "将预警网络接入特派团行动中心",
        "Relier les réseaux d'alerte précoce aux centres d'opérations des missions",
        "Подключить сети раннего предупреждения к оперативным центрам миссий",
        "Conectar las redes de alerta temprana a los centros de operaciones de las misiones",
    ),
    "Set response time targets for early warning alerts": (
        "تحديد أهداف لزمن الاستجابة لتنبيهات الإنذار المبكر",
        "为预警警报设定响应时间目标",
        "Fixer des délais de réaction cibles pour les alertes précoces",
        "Установить целевые сроки реагирования на сигналы раннего предупреждения",
        "Fijar metas de tiempo de respuesta para las alertas tempranas",
    ),
    "Review early warning performance after each incident": (
        "مراجعة أداء الإنذار المبكر بعد كل حادث",
        "每次事件后审查预警工作成效",
        "Examiner l'efficacité de l'alerte précoce après chaque incident",
        "Анализировать работу системы раннего предупреждения после каждого инцидента",
        "Examinar el funcionamiento de la alerta temprana después de cada incidente",
    ),
    "Camps and convoys are better protected": (
        "حماية أفضل للمعسكرات والقوافل",
        "营地和车队得到更好的保护",
        "Les camps et les convois sont mieux protégés",
        "Лагеря и конвои защищены лучше",
        "Los campamentos y los convoyes están mejor protegidos",
    ),
    "Deploy camp perimeter sensing in high-threat locations": (
        "نشر أجهزة استشعار لمحيط المعسكرات في المواقع شديدة الخطورة",
        "在高威胁地点部署营地周界感知设备",
        "Déployer des capteurs de périmètre des camps dans les lieux à haut risque",
        "Развернуть датчики периметра лагерей в районах высокой угрозы",
        "Desplegar sensores perimetrales en los campamentos de lugares de alta amenaza",
    ),
    "Track convoys with near-real-time positioning": (
        "تتبع القوافل بتحديد المواقع في الوقت شبه الحقيقي",
        "以近实时定位跟踪车队",
        "Suivre les convois grâce à une localisation en temps quasi réel",
        "Отслеживать конвои с определением местоположения почти в реальном времени",
        "Seguir los convoyes mediante posicionamiento casi en tiempo real",
    ),
    "Exercise threat response plans twice a year": (
        "إجراء تمارين على خطط التصدي للتهديدات مرتين في السنة",
        "每年两次演练威胁应对计划",
        "Tester les plans de réaction aux menaces deux fois par an",
        "Дважды в год проводить учения по планам реагирования на угрозы",
        "Ensayar los planes de respuesta a amenazas dos veces al año",
    ),
    "Mis- and disinformation is detected and answered": (
        "رصد المعلومات المغلوطة والمضللة والرد عليها",
        "错误信息和虚假信息得到发现和回应",
        "La mésinformation et la désinformation sont détectées et traitées",
        "Ложная информация и дезинформация выявляются, и на них даётся ответ",
        "La información errónea y la desinformación se detectan y se responden",
    ),
    "Monitor public information channels for hostile narratives": (
        "رصد قنوات الإعلام العام بحثاً عن الروايات العدائية",
        "监测公共信息渠道中的敌对言论",
        "Surveiller les canaux d'information publique pour repérer les discours hostiles",
        "Отслеживать враждебные нарративы в каналах общественной информации",
        "Vigilar los canales de información pública en busca de narrativas hostiles",
    ),
    "Train public information teams on rapid response": (
        "تدريب أفرقة الإعلام العام على الاستجابة السريعة",
        "培训新闻团队开展快速响应",
        "Former les équipes d'information publique à la riposte rapide",
        "Обучить группы общественной информации быстрому реагированию",
        "Capacitar a los equipos de información pública en respuesta rápida",
    ),
    "Share findings with host authorities and partners": (
        "تبادل النتائج مع السلطات المضيفة والشركاء",
        "与东道国当局和合作伙伴分享调查结果",
        "Communiquer les constats aux autorités hôtes et aux partenaires",
        "Делиться выводами с властями принимающей страны и партнёрами",
        "Compartir las conclusiones con las autoridades anfitrionas y los asociados",
    ),
    "Technology is used under clear principles": (
        "تُستخدم التكنولوجيا وفق مبادئ واضحة",
        "技术在明确原则下使用",
        "La technologie est utilisée selon des principes clairs",
        "Технологии используются на основе чётких принципов",
        "La tecnología se utiliza con arreglo a principios claros",
    ),
    "Issue guidance applying the twelve principles": (
        "إصدار توجيهات لتطبيق المبادئ الاثني عشر",
        "发布适用十二项原则的指导意见",
        "Publier des orientations sur l'application des douze principes",
        "Выпустить руководство по применению двенадцати принципов",
        "Publicar orientaciones para aplicar los doce principios",
    ),
    "Include principle checks in technology procurement": (
        "إدراج التحقق من المبادئ في مشتريات التكنولوجيا",
        "在技术采购中纳入原则审查",
        "Intégrer le contrôle des principes aux achats de technologies",
        "Включить проверку соблюдения принципов в закупки технологий",
        "Incluir la verificación de los principios en la adquisición de tecnología",
    ),
    "Report annually on principle compliance": (
        "الإبلاغ سنوياً عن الامتثال للمبادئ",
        "每年报告原则遵守情况",
        "Rendre compte chaque année du respect des principes",
        "Ежегодно отчитываться о соблюдении принципов",
        "Informar anualmente sobre el cumplimiento de los principios",
    ),
    "Human rights due diligence covers every deployment": (
        "تشمل العناية الواجبة في مجال حقوق الإنسان كل عملية نشر",
        "人权尽职调查覆盖每一次部署",
        "La diligence raisonnable en matière de droits humains couvre chaque déploiement",
        "Должная осмотрительность в области прав человека охватывает каждое развёртывание",
        "La diligencia debida en materia de derechos humanos abarca cada despliegue",
    ),
    "Carry out a human rights risk assessment before deployment": (
        "إجراء تقييم لمخاطر حقوق الإنسان قبل النشر",
        "部署前开展人权风险评估",
        "Réaliser une évaluation des risques pour les droits humains avant tout déploiement",
        "Проводить оценку рисков для прав человека до развёртывания",
        "Realizar una evaluación de riesgos para los derechos humanos antes del despliegue",
    ),
    "Set up a channel for communities to raise concerns": (
        "إنشاء قناة تتيح للمجتمعات المحلية إثارة شواغلها",
        "建立供社区反映关切的渠道",
        "Mettre en place un canal permettant aux communautés de faire part de leurs préoccupations",
        "Создать канал, по которому общины могут сообщать о своих опасениях",
        "Crear un cauce para que las comunidades expresen sus inquietudes",
    ),
    "Audit data protection in mission systems": (
        "مراجعة حماية البيانات في أنظمة البعثات",
        "审计特派团系统中的数据保护",
        "Auditer la protection des données dans les systèmes des missions",
        "Провести аудит защиты данных в системах миссий",
        "Auditar la protección de datos en los sistemas de las misiones",
    ),
    "Systems are accessible and secure": (
        "الأنظمة متاحة للجميع وآمنة",
        "系统无障碍且安全",
        "Les systèmes sont accessibles et sécurisés",
        "Системы доступны и безопасны",
        "Los sistemas son accesibles y seguros",
    ),
    "Test mission applications for accessibility": (
        "اختبار تطبيقات البعثات من حيث سهولة الوصول",
        "测试特派团应用程序的无障碍性",
        "Tester l'accessibilité des applications des missions",
        "Проверить приложения миссий на доступность",
        "Comprobar la accesibilidad de las aplicaciones de las misiones",
    ),
    "Apply the UN information sensitivity levels to mission data": (
        "تطبيق مستويات حساسية المعلومات في الأمم المتحدة على بيانات البعثات",
        "对特派团数据适用联合国信息敏感级别",
        "Appliquer aux données des missions les niveaux de sensibilité de l'information de l'ONU",
        "Применять к данным миссий уровни конфиденциальности информации ООН",
        "Aplicar a los datos de las misiones los niveles de sensibilidad de la información de las Naciones Unidas",
    ),
    "Run an annual cyber security exercise in each mission": (
        "إجراء تمرين سنوي للأمن السيبراني في كل بعثة",
        "每个特派团每年开展一次网络安全演练",
        "Organiser chaque année un exercice de cybersécurité dans chaque mission",
        "Ежегодно проводить учения по кибербезопасности в каждой миссии",
        "Realizar cada año un ejercicio de ciberseguridad en cada misión",
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
