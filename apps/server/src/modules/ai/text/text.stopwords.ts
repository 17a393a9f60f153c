/**
 * Function words dropped before indexing and querying, written in normalised form (lower case, ё → е)
 * and matched before stemming, so "какой" is dropped without dropping "как…"-stems of content words.
 *
 * Negations ("не", "нет", "ни", "not", "no", "never") and modals ("можно", "нельзя", "can", "must") stay
 * on purpose: "не пришёл заказ" and "заказ пришёл" are different requests, and on the XQuAD dev split
 * dropping them changes nothing (same R@1 and R@5). Dropping the lists as a whole loses 4–8 dev questions
 * of 274 per language.
 */
const RUSSIAN = `
а абы ах без безо бу будем будет будете будешь буду будут будучи будь будьте будто бы был была были было быть в вам вами вас ваш ваша ваше ваши во вот вы где да даже для до его ее ей ему если
есть еще ж же за здесь зачем и из изо или им ими их к каждый как какая каким какими какие каких каков какого какое
какой каком какому какую кем ко когда кого кое коих кой ком кому котор которая которого которое которой
котором которому которые которым которыми которых которую кто куда ли либо между меня мне мной мною мо мое моей
моего моем моему моею мои моим моими моих мой моя мою мы на над надо нам нами нас наш наша наше наши него
нее ней нем нему ним ними них но ну о об обо он она они оно от ото откуда по под подо пока почему поэтому при про с сам сама
сами самим самих само самого самой самом самому самою саму свое своего своей своем своему свои своим
своими своих свой своя свою себе себя сколько со так также такая такие таких такое такой там твое твой твоя те тебе
тебя тем теми тех то тоже той том тому тот ту ты у уж уже чего чей чем чему через что чтоб чтобы чье чьи чья эта эти этим
этими этих это этого этой этом этому этот эту я
`;

const ENGLISH = `
a about above across after afterwards again against all almost along already also although am among amongst an
and another any anyhow anyone anything anyway anywhere are around as at be became because become becomes been
before beforehand being below beside besides between both but by did do does doing done down during each
either else elsewhere enough etc even ever every everyone everything everywhere for from further had has have
having he hence her here hereby herein hers herself him himself his how however i ie if in indeed into is it
its itself just latter least less many me meanwhile mine more moreover most mostly much my myself
namely neither nevertheless next nobody none noone nor of off often on once one only onto or other others
otherwise our ours ourselves out over own per perhaps please rather same seem seemed seeming seems several
she since so some somehow someone something sometime sometimes somewhere still such than that the their
theirs them themselves then thence there thereafter thereby therefore therein thereupon these they this those
though through throughout thru thus to together too toward towards under until up upon us very via was we well
were what whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever whether
which while whither who whoever whole whom whose why with within without yet you your yours yourself yourselves
`;

const words = (list: string) => list.split(/\s+/).filter(Boolean);

/** Normalised function words of Russian and English (one set: the scripts do not overlap). */
export const STOP_WORDS: ReadonlySet<string> = new Set([...words(RUSSIAN), ...words(ENGLISH)]);
