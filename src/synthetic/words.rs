//! The vocabulary of generated prose. Each content-word list is in rank
//! order: `Prose` draws from it with Zipf weights, so the first words
//! ("policy", "security", "economic", …) are very common and the last ones
//! rare. The lists were built once from a word-frequency ranking of English
//! with parts of speech from WordNet, policy vocabulary moved to the front;
//! they are plain data now, edited by hand if at all. The long lists are
//! space-separated strings (see `split`) so that they stay compact under
//! rustfmt, which would give every array element a line of its own.

/// Singular nouns.
pub const NOUNS: &str = "\
    policy security government cooperation economy trade region country alliance strategy development relationship \
    defense power order crisis energy market growth investment leadership administration diplomacy conflict \
    stability competition influence pressure agreement dialogue summit minister president election reform parliament \
    coalition deterrence sovereignty integration infrastructure technology supply inflation budget debt currency \
    climate migration democracy governance framework initiative partnership negotiation treaty territory border \
    military navy presence risk uncertainty consensus commitment response approach transition resilience capacity \
    interest priority threat challenge opportunity future history context debate question issue decision view \
    perspective position role outcome impact effect support assistance aid sector industry production export tariff \
    regulation law constitution court institution organization community society public opinion media information \
    intelligence escalation ceasefire sanction rule norm architecture bloc axis balance rivalry hegemony \
    multilateralism globalization recovery recession unemployment productivity subsidy manufacturing semiconductor \
    shipping port corridor pipeline grid emission transparency accountability legitimacy cabinet ministry agency \
    bureaucracy ambassador embassy delegation envoy visit talks statement communique declaration memorandum time \
    people way need year day life world best love man home use part state game house place school end team family \
    money second someone number city lot night company group top business care system week case person today enough \
    point music water head men white job side line party service season area war car face story course health hope \
    news book thanks video fact hand level mind body control food office problem south research room university john \
    matter air friend class idea past cause series woman data north age reason third form heart child fun phone art \
    west education front street college example program type chance song study word action month self board cost \
    field moment road town department price space summer term date land site account period record club film won \
    center county couple player sense star test event hour member middle result design gold bank east movie park \
    performance worth bill director sound source value rate round stuff amount green league management model picture \
    size step page range review science attention character chief cup football property quality style china dog \
    language oil stage title article attack situation website choice code council door hair race sign staff union \
    walk career figure hospital loss paper version voice army earth goal internet practice sea sir success access \
    base sleep table truth ball box card dark district note percent piece wall culture officer pain respect river \
    rock tonight album century eye network peace store student tomorrow track weight addition association brown \
    capital committee conference difference island population radio station text treatment campaign content credit \
    despite focus ice message section sort contact sale tour minute nature computer construction episode favorite \
    income justice manager movement photo safety scene sun ability collection knowledge subject author centre claim \
    hotel lady leader letter nobody plus product secretary unit bar battle brain degree floor image insurance \
    majority pro cancer dance direction master stock weekend worst band beach cash effort operation analysis color \
    commission dream luck marriage skin yesterday congress damage disease doctor fish machine notice professor trip \
    captain crime japan male reality smith spot advice award block equipment holy nation peter purpose teacher \
    theory camera cell coast environment executive foot hall mass mission politics status trial weather activity \
    application coffee condition division flight freedom heat library location queen channel distance exchange glass \
    protection screen speech traffic tree airport bottom demand engine partner solution structure wind brand bus \
    cent fourth lake mouth owner scale score surface tom benefit estate faith fashion feature fund generation hill \
    jack metal profile seat target village agent animal authority basis foundation memory silver soul waste adult \
    artist chairman edition grade method mike option prison remains senate somebody stone strength window winner bag \
    camp spirit television till trouble advantage cat dinner fifth function gift progress van wood background birth \
    bridge concept copy garden host journal labor length patient software apple birthday boss connection fellow \
    horse magic net vehicle volume beauty conversation corner driver guide investigation responsibility variety \
    violence youth edge evil henry injury iron magazine martin reference religion web wine arm audience bay core \
    description guard lee medicine mountain reaction sport stress taste tea victory afternoon assistant classic \
    clothes emergency failure festival initial mail pair plane plenty prince quarter session sky valley zone \
    accident boat discussion duty governor joint museum path purchase rain steel vice beer command crew enemy forest \
    labour moon ocean proof republican appearance attorney behavior ben chair honor minimum ray survey tech user \
    writer communication flow girlfriend hero joke loan planet restaurant sugar transport device drama entry era \
    factor lawyer mistake platform pool route smoke squad candidate concern fox hole holiday jersey laugh leg max \
    milk payment snow studio actor apartment chain chapter confidence finance identity kitchen measure task aircraft \
    argument distribution escape fault phase revenue talent temperature truck bird bowl chicken coverage display \
    meat mode neck novel stadium surgery vision champion cream editor giant kingdom literature mayor orange \
    selection signal stream theme wave alcohol assembly chosen combination customer draft medium solo ticket bomb \
    cycle don entertainment facility info maximum newspaper republic reserve row salt bell bond boyfriend \
    corporation danger delivery dollar gender instance mile motion prize resolution universe attitude branch brazil \
    definition flag guest independence kiss load possibility senator sentence teeth academy bottle bunch category \
    cheese detail diet favourite fruit index item lane mess opposition parent pleasure programme representative \
    scheme storage tank transportation weekly yard basketball button combat consumer counter creation crown \
    depression employment golf grace importance object pattern personnel revolution tournament turkey victim amazon \
    carbon circle concert depth deputy error existence expression factory joy legislation maintenance manner mate \
    matt noise origin panel personality plate relief resistance rice roof shame tip baseball bathroom cable \
    championship client empire expansion incident print sight soviet weapon anniversary bike cake contest height \
    motor peak portion princess protein retirement sample battery blind breath chest decade fantasy introduction \
    license pink principal singer theatre therapy witness campus cap childhood comedy commander comparison defence \
    fee nose semi trend wealth approval bread convention document employee engineer equivalent ford gang miller \
    monthly neighborhood permission reply roman shower tower tradition appointment bush chocolate coal criticism \
    formation gallery highway improvement inch junior jury monster philosophy pride settlement speaker tone topic \
    auto guitar meal percentage pocket relative soccer trick audio bone chamber circuit extent gap gate harm \
    healthcare household immigration killer lesson membership mirror proposal province recognition reputation \
    technique assessment atmosphere bedroom belief contrast egg element extension founder gear hip package poverty \
    railway server shock silence soldier actress angel anxiety bonus castle charity discovery duke enforcement \
    formula fort gray mac math mystery palace penalty pet photography publication temple trail uncle arrival assault \
    awareness bath explanation exposure fiction happiness legend lieutenant mini mood muscle passion procedure \
    producer rank replacement sand shadow tape avenue commissioner custom desk ear electricity gym horror output \
    pitch pizza welfare wire worker android anger behalf belt ceremony designer diamond economics establishment \
    flower ghost hockey kit lab min ordinary racist skill soil stomach trash virus walker aspect bureau colonel \
    comfort cousin deck dragon evolution illness inspiration knife memorial minority promotion rail repair root \
    saint telephone buddy butter conclusion crystal dean downtown elite layer nowhere ownership poetry pot rugby \
    sake sheet vacation bench citizen cricket disaster entrance fitness friendship lifetime makeup medal mortgage \
    narrative reduction resource shell translation amendment angle berlin bishop efficiency enterprise experiment \
    forum jay journalist occasion oxford pace passenger pen pope possession agriculture anna commerce cop creek \
    exhibition fraud funeral honey honour hunter legacy ratio resort routine summary survival sword tongue ward \
    achievement behaviour daddy destruction doc fate frequency gene glory headquarters heritage jean juice landscape \
    logic organisation privacy regard residence salary script tube cant carter chemistry consumption corruption \
    cotton discount dozen exception exit fancy impression input leather luxury poll removal rep reporter sept \
    sequence tennis terrorist theater virgin wolf absence bull commonwealth contribution fame flood instant liberty \
    maria principle punishment reader representation sum tail twin arena billy column compensation composition \
    conservation density difficulty fleet gen genius guidance infection intention knee participation pregnancy \
    premium priest radical reward robin satellite shore transmission trap wildlife communist complaint component \
    courage diversity eve faculty feedback fighter humanity innovation jacket manual operator preparation railroad \
    registration romance tissue trailer announcement arsenal chip database discrimination disorder documentary \
    domain engagement favour footage grave implementation jazz laboratory midnight mouse piano praise presentation \
    psychology relation rocket ruin sec symbol terminal affair agenda bow calendar cape craft darkness devil equity \
    fortune goodbye graham hardware involvement petition phrase regime sauce shield slide stem throat tiger toy \
    wisdom beast beef candy carrier celebration celebrity certificate clay dec default estimate execution fool \
    franchise furniture interaction jet lifestyle mall polish sacrifice sole tale ton alarm bass collaboration con \
    consideration galaxy globe gulf intent judgment knight logo odds photographer prevention specialist stranger \
    tourism auction chaos concentration copper corp dawn earnings margin mechanism opera passage pit quest radiation \
    stroke tune utility vessel acquisition anime autumn clip conspiracy controversy cooper equality exam examination \
    federation guardian homeless instrument intervention lover mainstream menu offense requirement scope segment \
    spectrum terror venture warren yea alpha arrangement brick emperor garage inquiry inspector khan lion mercy \
    oxygen pipe poem powder racism shelter signature spider tribute venue abortion accuracy bullet conversion \
    democrat destination dirt grandfather habit mama marshall nelson popularity robot shoe suspension terrorism \
    terry treasury warrant asset baker burden chef civilian discipline essay expense invasion laptop maker palm pole \
    pub reception recipe rubber snake substance suggestion syndrome usage amateur batman bin biology bobby canal \
    charlotte completion custody departure employer explosion fever fluid folk imagination integrity interpretation \
    leaf motivation outfit pension perry portrait slight socialist tension unity arc backup clinic creator detective \
    disability dish evaluation excess franklin gravity holder hood ken manufacturer nonsense phoenix poet scientist \
    slavery transaction transformation veteran beta bronze bug cave developer diagnosis dose flesh laser marijuana \
    occupation opponent patch patience pic pollution prisoner privilege punk radar tourist transit villa wireless \
    wright yoga bacteria blade boot bulk cargo census commentary confusion corn dealer destiny electronics emotion \
    emphasis excitement exploration humor insight nerve nightmare pie poster scenario sheep tobacco trace turner \
    weakness advisory animation assignment basement bias carpet cherry chill classification clue cole collapse \
    compound costume earl garbage gospel grain identification liver metro mixture oak perception physician runner \
    significance soap spray suite verse victor vintage adoption attendance aviation barrel cinema compliance couch \
    dam diabetes genre grammar lease lens loyalty notion propaganda rat reflection scandal surveillance testimony \
    treasure trophy acceptance ash aunt benjamin casino counsel creature determination gentleman hammer icon \
    installation legislature liability manhattan marathon parade paradise politician premiere presidency \
    satisfaction shade sheriff sunshine thou tier warrior admission bacon barrier cattle classroom collins costa \
    earthquake farmer ion mathematics medication par portfolio protocol salad scholarship soup southeast strain \
    tackle timeline violation wallet workshop accent addiction beam buffalo conviction cow duration grandmother horn \
    inspection instruction intensity inventory invitation mason missile northwest organ patrol pearl peer pig pile \
    provision rod sweat tattoo tragedy trauma zoo accordance activist arrow availability boundary cabin cage \
    chancellor closet companion consciousness consultant controller courtesy disc eagle goodness guilt haven \
    helicopter homework lip miracle mud murphy observation phenomenon playoff profession prospect publisher retreat \
    rookie sandwich separation surgeon theft valve appreciation banner brad charm colony curriculum deadline deer \
    delta easter entity feminist ham interface jewelry journalism jungle prof pursuit rap reminder ridge tribe ace \
    artwork athlete attraction bankruptcy canon closure defender drum grandma grip handful harmony hybrid keyboard \
    neighbor noon nowadays overview parish potato preference proportion rage restoration sergeant silk throne voter \
    warner witch ally array belly booth breakdown cam citizenship cliff derby distinction facial fig hunger \
    hurricane import jurisdiction laughter lemon lung nutrition ore pine provider rental shark southwest bee cafe \
    cult dairy diary euro flies lawsuit leak lighter meter receiver recommendation riot roster servant setup skull \
    slot statue surrender teenager vacuum wont architect basin bride butler cartoon chick coke confirmation \
    contractor diameter duo elephant fabric fairy fold freak grief hub layout merchant merit myth pastor rebel \
    rotation toll tooth trainer variation warehouse widow administrator assumption basket beard blanket bucket \
    burger capability consequence continent cookie curse excellence flame graduation hint horizon ink inn matrix \
    momentum monkey nest ninth nomination obligation outlook penny quantity quantum rainbow reed span submission \
    supporter testament toe accommodation ambulance bailey ballot cemetery chile cigarette compact deficit demon \
    demonstration detection doll elder expertise fiber grocery guinea hull indication laundry northeast password \
    prosecution pulse realm rope sierra streak subscription tolerance apology bout brass comeback cos diesel \
    effectiveness hatred lamp majesty measurement mobility orientation oven passport proceeds rabbit rhythm ruth \
    shooter spam stack stance subway tablet tent thesis tide warfare withdrawal airline blonde bolt collar finale \
    flavor harper hart ignorance immigrant invention lineup meantime nut placement recreation sketch soda spite \
    sunset workplace analyst arctic buyer cannabis chapel cloth container essence fork fur harvest junk kidney \
    ladder lobby mineral mob navigation orbit paragraph peninsula pill pork ranch remainder semester";

/// Plural nouns.
pub const PLURAL_NOUNS: &str = "\
    relations sanctions countries states tensions interests allies partners markets policies negotiations elections \
    reforms tariffs exports imports forces leaders governments institutions measures efforts concerns risks threats \
    challenges issues questions decisions members economies investments resources rules norms rights values ties \
    networks companies firms banks officials ministers lawmakers voters citizens years things days times games \
    friends hours needs months minutes services players students words wants points results eyes parents problems \
    weeks hands areas books lives groups terms events ones parts systems ways pass schools cases products fans \
    places sales gas miles conditions jobs numbers studies levels sounds teams costs goals lines stories workers \
    families features sports reasons pictures activities details patients programs records cars effects laws parties \
    characters lots prices rates uses comments officers operations claims seconds stars species types animals \
    benefits cities ideas notes songs sources photos views actions arms employees individuals nations users leaves \
    movies videos customers dollars items materials standards classes dogs skills thousands units cards cells ends \
    images thoughts weapons funds models sites teachers accounts figures forms orders sides steps facts houses \
    matters pieces windows articles awards communities feelings options signs arts elements powers soldiers bodies \
    buildings homes trees attacks methods relationships affairs artists heads legs organizations shoes tests \
    businesses discuss facilities letters loves streets owners properties taxes applications documents factors films \
    flowers ladies lights millions requirements residents troops votes authorities causes examples positions stores \
    moments pages vehicles walls humans hundreds opportunities papers birds fields goods statistics tickets wales \
    adults circumstances communications devices dreams faces folks tools wars decades reviews scenes tips assets \
    candidates drivers rooms victims agents doctors practices roads ships writers agencies dates degrees democrats \
    doors messages politicians ages fees regions seats balls bills differences experts seasons chances clubs kinds \
    loans objects purposes statements techniques yards aspects attempts champions eggs functions islands memories \
    mountains regulations republicans scientists solutions stations authors visitors meetings offices payments \
    sessions structures symptoms consequences limits managers nights situations cats choices colors courses courts \
    hills increases locations machines supporters tons bars clients directors finals horses losses minds mistakes \
    phones tracks waters woods components expectations hearts injuries roles savings singles wings bags blocks \
    copies crimes episodes farmers grounds persons scores stages winners centers cops guests industries languages \
    principles references supports amounts controls demands engineers foods kings opinions patterns readers titles \
    actors cares enemies hopes participants consumers critics keys lawyers physics researchers sciences towns \
    channels designs females findings gifts lessons lists races rocks styles subjects bands emotions immigrants \
    instructions lands prisoners waves cents diseases ears procedures profits sections universities engines heroes \
    holes lips lyrics manufacturers masters movements versions voices athletes blues cameras contributions couples \
    glasses investors passengers producers restaurants roots samples shops texts veterans arguments boots computers \
    expenses hospitals jokes parks periods spots temperatures bones brands centuries connections duties guards \
    instruments technologies trends trials walks boards categories districts giants restrictions secrets stones \
    conversations estimates gates nuts rivers rounds warriors colleagues followers generations journalists \
    performances responses strategies tables targets witnesses discussions grades requests seeds signals spaces \
    stocks bonds corps credits gardens improvements publications tanks topics angels borders coins concepts \
    occasions peoples refugees aids beliefs boats boundaries colleges employers errors guidelines newspapers ratings \
    toys wages wells counties emails neighbors professionals reactions securities speakers springs suggestions \
    unions arrangements complaints directions hosts opponents quarters rangers ranks settings tasks trips worlds \
    appeals developers developments eagles holidays hotels loads plates reserves shirts theories transactions \
    viewers winds abilities branches campaigns chips collections creatures difficulties fighters flights habits \
    investigations males meters playoffs sorts souls cultures departments experiments missions paintings proposals \
    protests regards relatives terrorists trucks vessels volumes websites airlines albums beings bottles camps \
    customs ethics graphics meals operators platforms populations routes themes bases battles bits codes contents \
    knees lions mines proceedings pupils sizes acres beds chemicals comics corporations layers metres monsters \
    tactics villages accidents buyers charts clouds interactions makers organisations pics planes remarks saints \
    sheets spirits teens adventures blacks bombs caps colours criminals hates incidents lovers tigers tricks twins \
    vegetables beans commons conservatives contacts disorders farms flows genes heights ingredients lakes libraries \
    muscles nurses stairs sticks strangers tours activists circles damages dozens households liberals mechanics \
    providers sentences agreements cookies exercises provisions scholars streams zones capabilities chains \
    competitors cups divisions intentions pairs poems possibilities purchases advantages archives bridges centres \
    chapters civilians conflicts donations dragons implications";

/// Adjectives.
pub const ADJECTIVES: &str = "\
    economic political strategic international regional global national diplomatic domestic foreign bilateral \
    multilateral significant important new major key broader current recent possible likely critical central \
    financial fiscal monetary nuclear maritime territorial industrial technological democratic private structural \
    institutional legal social cultural historical long serious growing rising limited stable uncertain effective \
    clear strong weak necessary difficult complex sustainable collective mutual shared common competitive good first \
    great last better high little old next big sure real different done full bad hard small open general trying \
    black following whole kind working able early local young given half single true known large several wrong \
    pretty nice close due happy human late special light low short taken easy according available final former ready \
    outside main fine running beautiful similar perfect personal online higher sorry gone alone average certain \
    medical original cool official whatever blue federal various natural amazing august born entire poor written \
    simple super crazy modern popular safe starting huge deep missing professional straight specific standard cold \
    funny moving normal potential western female individual interesting leading particular previous fair positive \
    additional extra quick winning clean heavy wide material regular annual physical successful active civil \
    independent commercial latest multiple older secret senior telling grand rich sweet driving glad greater overall \
    basic worse broken primary responsible sick standing walking actual mobile northern powerful prior religious \
    royal slow wonderful famous sad southern traditional digital fresh mental smart larger mid becoming prime weird \
    healthy smaller wild dangerous firm greatest negative aware eastern impossible proud dear lucky rare tough alive \
    changing knowing busy criminal existing frank operating paying technical unique bigger dry lovely mad excellent \
    honest solid electric flat ill massive proper upper useful willing alternative cheap fantastic flying supporting \
    terrible warm afraid environmental expensive native supreme yellow younger ancient illegal increasing soft \
    golden grown scientific angry comfortable developing emotional falling internal liberal cute numerous quiet \
    urban corporate friendly pure strange dying false iii incredible obvious remaining zero minor opposite tiny \
    usual bright capable conservative essential familiar guilty laughing relevant unable creative educational \
    extreme careful pacific reasonable rural typical random academic accurate chemical permanent tight unlike crying \
    exclusive expert latter pregnant severe brilliant dirty electronic interior absolute constant driven exciting \
    wet worldwide attractive broad drawn hidden loud marine raw secondary solar ultimate unknown wondering brief \
    external immediate presidential tall clinical exact musical plastic valuable wise inner outstanding visual \
    colour contemporary extensive historic returning rough surrounding universal vast wanting consistent continuing \
    grey practical sharp temporary everyday impressive loving rolling thin awful loose moral offensive ridiculous \
    sensitive superior thick violent acid administrative curious formal gross hungry innocent select silent spoken \
    unusual concrete horrible ideal boring confident helpful plain romantic comic efficient electrical nervous odd \
    struck dramatic mum remote annoying decent forgotten insane organic smooth spiritual sudden thrown fallen \
    intense liquid silly subsequent visible defensive rapid resident sixth suitable valid vital genuine improving \
    scary asleep automatic comprehensive extraordinary objective searching epic gorgeous grateful screaming \
    agricultural delicious genetic progressive upcoming alert brave constitutional defending dropping elementary \
    ethnic fundamental mechanical precious prominent proven residential struggling substantial teen uniform wooden \
    aggressive apparent desperate frozen legislative ongoing painful purple sufficient underground virtual \
    biological dynamic fewer literary unlikely intellectual protecting racial talented alien attacking awkward \
    distinct eligible intelligent reliable remarkable worthy bloody crucial dependent dual experimental mature \
    peaceful surprising acceptable challenging hilarious psychological stunning bold classical oral worn \
    considerable conventional enormous lonely outer rude seventh artificial diverse divine functional jealous lazy \
    municipal naval neutral noble sacred toxic assuming casual controversial disgusting dominant graphic legendary \
    outdoor regulatory serial strict ultra unexpected affordable handsome legitimate magical nasty pleasant \
    productive streaming touching useless beaten bitter blown clever continuous identical imperial operational \
    vulnerable wealthy cheating chronic eighth generous loyal striking coastal congressional distant emerging \
    participating ranging respective sandy threatening uncomfortable widespread accepting accessible bare conscious \
    consecutive endless floating metropolitan parliamentary tropical unnecessary anonymous artistic beloved colonial \
    contrary controlling gentle magnetic mysterious partial revolutionary underlying unfair deadly indigenous \
    infinite preliminary realistic rocky sporting vocal convenient elderly embarrassing swift urgent vertical awake \
    blank encouraging harsh immune judicial logical meaningful releasing staring statistical teenage applicable \
    corresponding demanding engaging fascinating flexible iconic keen lesser mandatory mere precise protective \
    skilled sterling adjacent athletic complaining cruel electoral excessive governing linear occasional unfortunate \
    variable victorian alternate cognitive dental editorial entertaining eternal generic humble lasting mild minimal \
    molecular pathetic promising selfish brutal faithful fatal fitting innovative matching shocking unlimited \
    anxious indoor influential invisible olive passionate suspicious tender beneficial comparable contributing \
    fabulous glorious inevitable lacking micro overwhelming pale provincial starring subtle torn tragic unbelievable \
    viral affecting answering charming ethical hostile miserable notable optical petty sunny tremendous adorable \
    ashamed completing elaborate halfway intensive interactive intimate martial rational spectacular unhappy \
    adequate disturbing exceptional foul ignorant median medieval savage slim static supportive surgical warming \
    authentic creepy inspiring intermediate joking magnificent mathematical opposing questioning shallow shitty \
    thermal dimensional eager modest passive profitable surviving tribal aesthetic bizarre confusing continental \
    disappointing functioning pending sticking delicate sheer stark theoretical transparent void voluntary acute \
    betting civic crude distinctive indirect kindly minus deaf evident goddamn inappropriate instrumental interstate \
    neat neo quarterly resistant skinny sore steep whatsoever wicked absent atomic compelling dense furious intact \
    irrelevant mistaken seasonal sensible shifting shining compatible convincing determining explosive fortunate \
    frustrating geographic handy hardcore harmful inclusive memorable portable revealing tactical thorough varying \
    architectural circular countless explicit forbidden integral polar pursuing renowned superb tricky viable absurd \
    ambitious appealing elegant limiting philosophical secular sovereign synthetic terrifying dull incorrect optimal \
    postal profound risky robust sober unconscious automotive costly incoming orthodox";

/// Verbs in the base form (after a modal or `to`).
pub const VERBS: &str = "\
    strengthen address promote ensure undermine shape reduce increase maintain pursue expand limit secure improve \
    develop implement negotiate reinforce deter manage respond remain seek provide create build protect prevent \
    restore contain resolve enhance reshape sustain coordinate adapt like get know see make think want work take say \
    look come find help give show feel keep please put free name play let set start change live read mean tell stop \
    believe call try run thank post talk become pay win remember hit understand move wait ask leave watch police \
    stay buy deal report turn check act fire plan list bring experience meet march process cut fight force hear rest \
    miss project include total lead share happen hold return break present wish answer guess learn press evidence \
    follow save stand tax drive eat fall match trust hate lower send vote complete add enjoy release continue cover \
    lose pick seem forget listen mark offer speak write charge except allow beat double expect cross join travel \
    consider drop link welcome sell agree spend coach search train fear fit judge contract hurt reach ship wonder \
    fan imagine lack wear choose direct finish touch doubt drink grow sit carry explain plant winter comment shop \
    avoid catch pop google interview accept appear attempt receive ride serve begin lie square worry count realize \
    separate throw twitter click pull push apply draw enter gain ring rise spread institute bet cast correct handle \
    decide produce require shut prove dress map request stick wake farm file fix fly raise roll suggest surprise \
    treat appreciate blog exist mention fuel harry kick transfer bear mix promise remove crowd profit suit jump \
    launch update download email exercise express appeal appropriate grant schedule teach abuse lunch pack perform \
    storm strike sub advance cook equal fake journey split fill smile blame bob determine shirt jail struggle \
    breakfast desire fail recommend upset hang switch affect blow cry deserve empty nick register admit favor frame \
    plot replace represent achieve afford assume chat prefer shift tend describe excuse identify premier suppose \
    tool arrest attend ban crash deliver prepare retail calm hide quit sing burn hat conduct debut destroy grab \
    paint pilot recognize steam survive aim defeat lock quote suspect swear tie graduate lift operate rid shoulder \
    wheel celebrate hunt repeat smell earn finger ignore rescue rush bullshit chart defend format mount occur \
    adventure argue cloud establish wash compare encourage flash protest refer suffer chase guarantee jimmy tag \
    thread wage clock label rear reveal assist capture participate solve boost crack dust steal bid confirm decline \
    delay desert hire hop marry nurse obtain recall associate bother broadcast compete discover narrow pan reflect \
    refuse arrive belong connect grass mill spin collect hook introduce log monitor regret remind reverse settle \
    spell coat consent divorce engage indicate josh knock rob stretch tear contribute deny ease extend rally swing \
    boom commit foster pretend shake bang blast cure invest pound punch rick bite dare define explore investigate \
    mask steady triple bat edit enable invite seal drag loop recover relax rely succeed worship filter involve pin \
    pump revenge slip spare submit tap volunteer dispute frequent moderate overcome parallel announce breathe \
    convince encounter panic realise rip forgive trigger vary copyright deposit gather pat relate spy tunnel upgrade \
    brush charter complain photograph climb cruise delete dig generate permit sue twist advocate duck fence \
    highlight nail sink skip snap swim attract";

/// Verbs in the past tense.
pub const PAST_VERBS: &str = "\
    announced agreed signed rejected raised expanded strengthened introduced proposed launched warned argued \
    suggested emphasized acknowledged criticized adopted approved imposed lifted reached pledged stressed noted \
    confirmed declined continued increased reduced remained said made got used found left called thought told based \
    took came went united lost started bit wanted saw red asked heard gave held played happened knew needed added \
    brought received sent tried worked became ground felt paid led looked involved related decided met turned \
    considered bed built changed published created followed released wrote allowed included married provided \
    required spent moved described kept loved reported speed posted sold designed expected developed interested \
    named finished meant compared ended passed bought supposed caught closed established associated caused helped \
    lived produced located offered showed broke fell learned opened placed stopped appeared covered forced mentioned \
    missed failed returned rose seemed served arrived removed carried completed liked managed owned believed \
    concerned presented discovered excited ordered prepared stated dropped issued joined entered picked watched \
    advanced tired treated filled fixed intended grew listed planned combined connected formed performed selected \
    stuck supported surprised taught accepted applied feed pulled saved walked recorded committed focused revealed \
    affected arrested claimed determined extended lay mixed sat collected elected experienced fired forgot \
    identified inspired noticed scored worried charged delivered estimated talked voted destroyed granted improved \
    referred spoke directed scared appointed armed controlled enjoyed explained realized conducted dedicated rent \
    trained understood occurred stood defined laid chose declared earned headed replaced updated checked linked \
    refused invited represented stayed attached attacked engaged expressed recognized registered suffered detailed \
    entitled exposed fed injured opposed organized protected aged founded marked recommended visited achieved \
    admitted faced filed fought gained obtained promised sought studied proved tested attended complicated confused \
    divided purchased tied accused bound drew pointed qualified threw contained discussed informed scheduled \
    captured featured pleased retired settled denied locked pushed attempted disappointed dressed employed handed \
    banned hired abandoned acquired buried convinced installed printed assigned assumed contributed damaged figured \
    observed kicked maintained shaped alleged resulted seed drove surrounded threatened transferred awarded \
    concluded crossed operated painted preferred ranked ate generated impressed indicated remembered requested \
    answered encouraged murdered occupied submitted survived suspended wounded arranged attracted blocked burned \
    distributed edited packed viewed rated ruled separated touched cited constructed dated derived disabled educated \
    existed funded guaranteed integrated regarded wore acted equipped hoped repeated replied satisfied composed \
    executed gathered ignored shocked sized addressed backed classified disappeared mounted responded ruined waited \
    accompanied aimed designated handled hosted jumped loaded measured pissed powered recovered celebrated isolated \
    knocked landed laughed modified supplied wound blessed certified implemented reviewed secured shed sponsored \
    cancelled demonstrated targeted woke converted lied listened quoted rolled stole bored cleared convicted dealt \
    delayed dismissed distinguished hated incorporated influenced stepped trusted wondered colored cried deemed \
    invested lit restricted situated spotted";

/// Adverbs.
pub const ADVERBS: &str = "\
    increasingly significantly largely clearly particularly effectively gradually quickly directly ultimately \
    currently recently broadly primarily relatively notably fundamentally potentially historically really actually \
    probably especially finally exactly usually simply daily certainly completely nearly absolutely immediately \
    definitely generally seriously easily literally fully highly eventually truly mostly previously totally \
    apparently obviously extremely possibly slightly entirely honestly originally suddenly specifically \
    approximately properly basically slowly typically unfortunately perfectly mainly normally personally frequently \
    hopefully surely heavily widely closely constantly hardly officially automatically regularly fairly barely \
    initially naturally necessarily shortly strongly carefully respectively successfully badly deeply essentially \
    newly rarely lately equally occasionally commonly incredibly merely roughly rapidly greatly partly physically \
    similarly publicly virtually consistently exclusively formerly actively differently instantly subsequently \
    accidentally briefly safely correctly legally repeatedly additionally mentally precisely solely partially \
    practically sadly simultaneously annually strictly quietly reportedly sexually happily locally openly genuinely \
    poorly purely seemingly severely technically importantly surprisingly thoroughly gently permanently separately \
    freely nicely allegedly independently politically presumably temporarily traditionally frankly emotionally \
    reasonably accordingly deliberately namely utterly formally privately secretly specially considerably firmly \
    accurately desperately financially continuously fortunately randomly explicitly lightly socially substantially \
    supposedly dramatically consequently readily beautifully luckily continually terribly arguably individually \
    inevitably positively sharply sincerely critically undoubtedly extensively illegally secondly nationally \
    promptly steadily economically overly wholly collectively globally intentionally alternatively predominantly \
    sufficiently thankfully efficiently loudly bodily jointly remarkably softly professionally tightly unusually \
    ideally internally remotely appropriately comfortably exceptionally ironically firstly rightly presently \
    voluntarily hourly indirectly preferably proudly routinely unexpectedly wildly manually lastly negatively \
    mutually smoothly visually commercially gladly statistically strangely casually genetically drastically evenly \
    hugely indefinitely narrowly adequately amazingly culturally theoretically aggressively morally peacefully";

/// The words of a space-separated list.
pub fn split(list: &'static str) -> Vec<&'static str> {
    list.split_ascii_whitespace().collect()
}

/// Nouns with accents, so that accent-insensitive search has something to fold.
pub const ACCENTED_NOUNS: &[&str] = &[
    "économie",
    "régime",
    "détente",
    "élite",
    "rôle",
    "façade",
    "communiqué",
    "démarche",
    "entente",
    "naïveté",
    "protégé",
    "coup d'état",
    "raison d'être",
    "société",
    "sécurité",
    "première",
    "déjà vu",
    "café diplomacy",
    "exposé",
    "cliché",
    "débâcle",
    "señor",
    "Zeitenwende in Außenpolitik",
    "Ostpolitik à la française",
];

/// Places with accents, written into text now and then.
pub const ACCENTED_PLACES: &[&str] = &[
    "Zürich",
    "São Paulo",
    "Bogotá",
    "Québec",
    "Brasília",
    "Kraków",
    "Gdańsk",
    "Malmö",
    "Reykjavík",
    "Düsseldorf",
    "Montréal",
    "Curaçao",
    "Asunción",
    "Medellín",
    "Córdoba",
    "Málaga",
    "Göteborg",
    "Tromsø",
    "Århus",
    "Łódź",
    "Iași",
    "Brașov",
    "Hà Nội",
    "Đà Nẵng",
    "Genève",
    "Thessaloníki",
    "Plzeň",
    "Cancún",
    "Mérida",
    "Istanbul's Beyoğlu",
];

/// Determiners before a singular noun; `a` becomes `an` before a vowel.
pub const SINGULAR_DETERMINERS: &[&str] =
    &["the", "the", "the", "the", "a", "a", "this", "that", "its", "their", "any", "every", "one", "another", "each"];

/// Determiners before a plural noun.
pub const PLURAL_DETERMINERS: &[&str] =
    &["the", "the", "the", "these", "many", "some", "most", "few", "such", "their", "its", "several", "other", "both"];

pub const PREPOSITIONS: &[&str] = &[
    "in", "in", "on", "for", "for", "with", "against", "across", "between", "within", "toward", "over", "under",
    "through", "beyond", "amid", "despite", "after", "before", "without", "among", "around", "behind", "beneath",
];

pub const MODALS: &[&str] = &["will", "would", "could", "can", "may", "might", "must", "should", "will", "could"];

/// Sentence openers, followed by a comma.
pub const OPENERS: &[&str] = &[
    "However",
    "Moreover",
    "In practice",
    "At the same time",
    "For now",
    "Meanwhile",
    "Still",
    "Indeed",
    "As a result",
    "In this context",
    "In the long run",
    "By contrast",
    "In short",
    "Nevertheless",
    "To be sure",
    "Above all",
    "In recent years",
    "Yet",
    "Equally",
    "For this reason",
    "On the other hand",
    "Put simply",
    "Not surprisingly",
    "Paradoxically",
    "Until recently",
    "In other words",
    "Taken together",
    "Of course",
];

/// Words joining two clauses, after a comma.
pub const CONJUNCTIONS: &[&str] =
    &["and", "but", "while", "as", "because", "although", "since", "whereas", "so", "yet", "even as", "until"];

/// Verbs taking `to` and an infinitive: (singular, plural).
pub const CATENATIVES: &[(&str, &str)] = &[
    ("seeks to", "seek to"),
    ("continues to", "continue to"),
    ("aims to", "aim to"),
    ("needs to", "need to"),
    ("appears to", "appear to"),
    ("is likely to", "are likely to"),
    ("is expected to", "are expected to"),
    ("has yet to", "have yet to"),
    ("is unlikely to", "are unlikely to"),
    ("will have to", "will have to"),
    ("is set to", "are set to"),
    ("tends to", "tend to"),
];

/// Linking verbs before an adjective: (singular, plural).
pub const COPULAS: &[(&str, &str)] = &[
    ("is", "are"),
    ("is", "are"),
    ("remains", "remain"),
    ("seems", "seem"),
    ("has become", "have become"),
    ("looks", "look"),
    ("was", "were"),
    ("proved", "proved"),
];

/// Who is quoted.
pub const SPEAKERS: &[&str] = &[
    "one official",
    "a senior diplomat",
    "one analyst",
    "a former minister",
    "one observer",
    "a government adviser",
    "a Western diplomat",
    "one economist",
    "a retired general",
    "a party strategist",
    "one negotiator",
];

pub const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
