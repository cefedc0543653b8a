"""ISO 3166-1 countries with their names in English, Thai and Persian.

Generated once from the Unicode CLDR (through Babel 2.18; the code list from Debian's
iso-codes); the project carries no country package at run time. Regenerate with:

    from babel import Locale
    names = {lang: Locale.parse(lang).territories for lang in ("en", "th", "fa")}
    # … one line per ISO 3166-1 alpha-2 code: (names["en"][c], names["th"][c], names["fa"][c])
"""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .text import normalize

LANGUAGES = ("en", "th", "fa")

# code → (English, Thai, Persian)
NAMES = {
    "AD": ("Andorra", "อันดอร์รา", "آندورا"),
    "AE": ("United Arab Emirates", "สหรัฐอาหรับเอมิเรตส์", "امارات متحدهٔ عربی"),
    "AF": ("Afghanistan", "อัฟกานิสถาน", "افغانستان"),
    "AG": ("Antigua & Barbuda", "แอนติกาและบาร์บูดา", "آنتیگوا و باربودا"),
    "AI": ("Anguilla", "แองกวิลลา", "آنگویلا"),
    "AL": ("Albania", "แอลเบเนีย", "آلبانی"),
    "AM": ("Armenia", "อาร์เมเนีย", "ارمنستان"),
    "AO": ("Angola", "แองโกลา", "آنگولا"),
    "AQ": ("Antarctica", "แอนตาร์กติกา", "جنوبگان"),
    "AR": ("Argentina", "อาร์เจนตินา", "آرژانتین"),
    "AS": ("American Samoa", "อเมริกันซามัว", "ساموآی امریکا"),
    "AT": ("Austria", "ออสเตรีย", "اتریش"),
    "AU": ("Australia", "ออสเตรเลีย", "استرالیا"),
    "AW": ("Aruba", "อารูบา", "آروبا"),
    "AX": ("Åland Islands", "หมู่เกาะโอลันด์", "جزایر آلاند"),
    "AZ": ("Azerbaijan", "อาเซอร์ไบจาน", "جمهوری آذربایجان"),
    "BA": ("Bosnia & Herzegovina", "บอสเนียและเฮอร์เซโกวีนา", "بوسنی و هرزگوین"),
    "BB": ("Barbados", "บาร์เบโดส", "باربادوس"),
    "BD": ("Bangladesh", "บังกลาเทศ", "بنگلادش"),
    "BE": ("Belgium", "เบลเยียม", "بلژیک"),
    "BF": ("Burkina Faso", "บูร์กินาฟาโซ", "بورکینافاسو"),
    "BG": ("Bulgaria", "บัลแกเรีย", "بلغارستان"),
    "BH": ("Bahrain", "บาห์เรน", "بحرین"),
    "BI": ("Burundi", "บุรุนดี", "بوروندی"),
    "BJ": ("Benin", "เบนิน", "بنین"),
    "BL": ("St. Barthélemy", "เซนต์บาร์เธเลมี", "سن بارتلمی"),
    "BM": ("Bermuda", "เบอร์มิวดา", "برمودا"),
    "BN": ("Brunei", "บรูไน", "برونئی"),
    "BO": ("Bolivia", "โบลิเวีย", "بولیوی"),
    "BQ": ("Caribbean Netherlands", "เนเธอร์แลนด์แคริบเบียน", "جزایر کارائیب هلند"),
    "BR": ("Brazil", "บราซิล", "برزیل"),
    "BS": ("Bahamas", "บาฮามาส", "باهاما"),
    "BT": ("Bhutan", "ภูฏาน", "بوتان"),
    "BV": ("Bouvet Island", "เกาะบูเว", "جزیرهٔ بووه"),
    "BW": ("Botswana", "บอตสวานา", "بوتسوانا"),
    "BY": ("Belarus", "เบลารุส", "بلاروس"),
    "BZ": ("Belize", "เบลีซ", "بلیز"),
    "CA": ("Canada", "แคนาดา", "کانادا"),
    "CC": ("Cocos (Keeling) Islands", "หมู่เกาะโคโคส (คีลิง)", "جزایر کوکوس"),
    "CD": ("Congo - Kinshasa", "คองโก - กินชาซา", "کنگو - کینشاسا"),
    "CF": ("Central African Republic", "สาธารณรัฐแอฟริกากลาง", "جمهوری افریقای مرکزی"),
    "CG": ("Congo - Brazzaville", "คองโก - บราซซาวิล", "کنگو - برازویل"),
    "CH": ("Switzerland", "สวิตเซอร์แลนด์", "سوئیس"),
    "CI": ("Côte d’Ivoire", "โกตดิวัวร์", "ساحل عاج"),
    "CK": ("Cook Islands", "หมู่เกาะคุก", "جزایر کوک"),
    "CL": ("Chile", "ชิลี", "شیلی"),
    "CM": ("Cameroon", "แคเมอรูน", "کامرون"),
    "CN": ("China", "จีน", "چین"),
    "CO": ("Colombia", "โคลอมเบีย", "کلمبیا"),
    "CR": ("Costa Rica", "คอสตาริกา", "کاستاریکا"),
    "CU": ("Cuba", "คิวบา", "کوبا"),
    "CV": ("Cape Verde", "เคปเวิร์ด", "کیپ\u200cورد"),
    "CW": ("Curaçao", "คูราเซา", "کوراسائو"),
    "CX": ("Christmas Island", "เกาะคริสต์มาส", "جزیرهٔ کریسمس"),
    "CY": ("Cyprus", "ไซปรัส", "قبرس"),
    "CZ": ("Czechia", "เช็ก", "چک"),
    "DE": ("Germany", "เยอรมนี", "آلمان"),
    "DJ": ("Djibouti", "จิบูตี", "جیبوتی"),
    "DK": ("Denmark", "เดนมาร์ก", "دانمارک"),
    "DM": ("Dominica", "โดมินิกา", "دومینیکا"),
    "DO": ("Dominican Republic", "สาธารณรัฐโดมินิกัน", "جمهوری دومینیکن"),
    "DZ": ("Algeria", "แอลจีเรีย", "الجزایر"),
    "EC": ("Ecuador", "เอกวาดอร์", "اکوادور"),
    "EE": ("Estonia", "เอสโตเนีย", "استونی"),
    "EG": ("Egypt", "อียิปต์", "مصر"),
    "EH": ("Western Sahara", "ซาฮาราตะวันตก", "صحرای غربی"),
    "ER": ("Eritrea", "เอริเทรีย", "اریتره"),
    "ES": ("Spain", "สเปน", "اسپانیا"),
    "ET": ("Ethiopia", "เอธิโอเปีย", "اتیوپی"),
    "FI": ("Finland", "ฟินแลนด์", "فنلاند"),
    "FJ": ("Fiji", "ฟิจิ", "فیجی"),
    "FK": ("Falkland Islands", "หมู่เกาะฟอล์กแลนด์", "جزایر فالکلند"),
    "FM": ("Micronesia", "ไมโครนีเซีย", "میکرونزی"),
    "FO": ("Faroe Islands", "หมู่เกาะแฟโร", "جزایر فارو"),
    "FR": ("France", "ฝรั่งเศส", "فرانسه"),
    "GA": ("Gabon", "กาบอง", "گابن"),
    "GB": ("United Kingdom", "สหราชอาณาจักร", "بریتانیا"),
    "GD": ("Grenada", "เกรเนดา", "گرنادا"),
    "GE": ("Georgia", "จอร์เจีย", "گرجستان"),
    "GF": ("French Guiana", "เฟรนช์เกียนา", "گویان فرانسه"),
    "GG": ("Guernsey", "เกิร์นซีย์", "گرنزی"),
    "GH": ("Ghana", "กานา", "غنا"),
    "GI": ("Gibraltar", "ยิบรอลตาร์", "جبل\u200cالطارق"),
    "GL": ("Greenland", "กรีนแลนด์", "گرینلند"),
    "GM": ("Gambia", "แกมเบีย", "گامبیا"),
    "GN": ("Guinea", "กินี", "گینه"),
    "GP": ("Guadeloupe", "กวาเดอลูป", "گوادلوپ"),
    "GQ": ("Equatorial Guinea", "อิเควทอเรียลกินี", "گینهٔ استوایی"),
    "GR": ("Greece", "กรีซ", "یونان"),
    "GS": (
        "South Georgia & South Sandwich Islands",
        "เกาะเซาท์จอร์เจียและหมู่เกาะเซาท์แซนด์วิช",
        "جورجیای جنوبی و جزایر ساندویچ جنوبی",
    ),
    "GT": ("Guatemala", "กัวเตมาลา", "گواتمالا"),
    "GU": ("Guam", "กวม", "گوام"),
    "GW": ("Guinea-Bissau", "กินี-บิสเซา", "گینهٔ بیسائو"),
    "GY": ("Guyana", "กายอานา", "گویان"),
    "HK": (
        "Hong Kong SAR China",
        "เขตปกครองพิเศษฮ่องกงแห่งสาธารณรัฐประชาชนจีน",
        "هنگ\u200cکنگ، منطقهٔ ویژهٔ اداری چین",
    ),
    "HM": ("Heard & McDonald Islands", "เกาะเฮิร์ดและหมู่เกาะแมกดอนัลด์", "هرد و جزایر مک\u200cدونالد"),
    "HN": ("Honduras", "ฮอนดูรัส", "هندوراس"),
    "HR": ("Croatia", "โครเอเชีย", "کرواسی"),
    "HT": ("Haiti", "เฮติ", "هائیتی"),
    "HU": ("Hungary", "ฮังการี", "مجارستان"),
    "ID": ("Indonesia", "อินโดนีเซีย", "اندونزی"),
    "IE": ("Ireland", "ไอร์แลนด์", "ایرلند"),
    "IL": ("Israel", "อิสราเอล", "اسرائیل"),
    "IM": ("Isle of Man", "เกาะแมน", "جزیرهٔ من"),
    "IN": ("India", "อินเดีย", "هند"),
    "IO": (
        "British Indian Ocean Territory",
        "บริติชอินเดียนโอเชียนเทร์ริทอรี",
        "قلمرو بریتانیا در اقیانوس هند",
    ),
    "IQ": ("Iraq", "อิรัก", "عراق"),
    "IR": ("Iran", "อิหร่าน", "ایران"),
    "IS": ("Iceland", "ไอซ์แลนด์", "ایسلند"),
    "IT": ("Italy", "อิตาลี", "ایتالیا"),
    "JE": ("Jersey", "เจอร์ซีย์", "جرزی"),
    "JM": ("Jamaica", "จาเมกา", "جامائیکا"),
    "JO": ("Jordan", "จอร์แดน", "اردن"),
    "JP": ("Japan", "ญี่ปุ่น", "ژاپن"),
    "KE": ("Kenya", "เคนยา", "کنیا"),
    "KG": ("Kyrgyzstan", "คีร์กีซสถาน", "قرقیزستان"),
    "KH": ("Cambodia", "กัมพูชา", "کامبوج"),
    "KI": ("Kiribati", "คิริบาส", "کیریباتی"),
    "KM": ("Comoros", "คอโมโรส", "کومور"),
    "KN": ("St. Kitts & Nevis", "เซนต์คิตส์และเนวิส", "سنت کیتس و نویس"),
    "KP": ("North Korea", "เกาหลีเหนือ", "کرهٔ شمالی"),
    "KR": ("South Korea", "เกาหลีใต้", "کرهٔ جنوبی"),
    "KW": ("Kuwait", "คูเวต", "کویت"),
    "KY": ("Cayman Islands", "หมู่เกาะเคย์แมน", "جزایر کِیمن"),
    "KZ": ("Kazakhstan", "คาซัคสถาน", "قزاقستان"),
    "LA": ("Laos", "ลาว", "لائوس"),
    "LB": ("Lebanon", "เลบานอน", "لبنان"),
    "LC": ("St. Lucia", "เซนต์ลูเซีย", "سنت لوسیا"),
    "LI": ("Liechtenstein", "ลิกเตนสไตน์", "لیختن\u200cاشتاین"),
    "LK": ("Sri Lanka", "ศรีลังกา", "سری\u200cلانکا"),
    "LR": ("Liberia", "ไลบีเรีย", "لیبریا"),
    "LS": ("Lesotho", "เลโซโท", "لسوتو"),
    "LT": ("Lithuania", "ลิทัวเนีย", "لیتوانی"),
    "LU": ("Luxembourg", "ลักเซมเบิร์ก", "لوکزامبورگ"),
    "LV": ("Latvia", "ลัตเวีย", "لتونی"),
    "LY": ("Libya", "ลิเบีย", "لیبی"),
    "MA": ("Morocco", "โมร็อกโก", "مراکش"),
    "MC": ("Monaco", "โมนาโก", "موناکو"),
    "MD": ("Moldova", "มอลโดวา", "مولداوی"),
    "ME": ("Montenegro", "มอนเตเนโกร", "مونته\u200cنگرو"),
    "MF": ("St. Martin", "เซนต์มาร์ติน", "سنت مارتین"),
    "MG": ("Madagascar", "มาดากัสการ์", "ماداگاسکار"),
    "MH": ("Marshall Islands", "หมู่เกาะมาร์แชลล์", "جزایر مارشال"),
    "MK": ("North Macedonia", "มาซิโดเนียเหนือ", "مقدونیهٔ شمالی"),
    "ML": ("Mali", "มาลี", "مالی"),
    "MM": ("Myanmar (Burma)", "เมียนมา (พม่า)", "میانمار (برمه)"),
    "MN": ("Mongolia", "มองโกเลีย", "مغولستان"),
    "MO": (
        "Macao SAR China",
        "เขตปกครองพิเศษมาเก๊าแห่งสาธารณรัฐประชาชนจีน",
        "ماکائو، منطقهٔ ویژهٔ اداری چین",
    ),
    "MP": ("Northern Mariana Islands", "หมู่เกาะนอร์เทิร์นมาเรียนา", "جزایر ماریانای شمالی"),
    "MQ": ("Martinique", "มาร์ตินีก", "مارتینیک"),
    "MR": ("Mauritania", "มอริเตเนีย", "موریتانی"),
    "MS": ("Montserrat", "มอนต์เซอร์รัต", "مونت\u200cسرات"),
    "MT": ("Malta", "มอลตา", "مالت"),
    "MU": ("Mauritius", "มอริเชียส", "موریس"),
    "MV": ("Maldives", "มัลดีฟส์", "مالدیو"),
    "MW": ("Malawi", "มาลาวี", "مالاوی"),
    "MX": ("Mexico", "เม็กซิโก", "مکزیک"),
    "MY": ("Malaysia", "มาเลเซีย", "مالزی"),
    "MZ": ("Mozambique", "โมซัมบิก", "موزامبیک"),
    "NA": ("Namibia", "นามิเบีย", "نامیبیا"),
    "NC": ("New Caledonia", "นิวแคลิโดเนีย", "کالدونیای جدید"),
    "NE": ("Niger", "ไนเจอร์", "نیجر"),
    "NF": ("Norfolk Island", "เกาะนอร์ฟอล์ก", "جزیرهٔ نورفولک"),
    "NG": ("Nigeria", "ไนจีเรีย", "نیجریه"),
    "NI": ("Nicaragua", "นิการากัว", "نیکاراگوئه"),
    "NL": ("Netherlands", "เนเธอร์แลนด์", "هلند"),
    "NO": ("Norway", "นอร์เวย์", "نروژ"),
    "NP": ("Nepal", "เนปาล", "نپال"),
    "NR": ("Nauru", "นาอูรู", "نائورو"),
    "NU": ("Niue", "นีอูเอ", "نیوئه"),
    "NZ": ("New Zealand", "นิวซีแลนด์", "نیوزیلند"),
    "OM": ("Oman", "โอมาน", "عمان"),
    "PA": ("Panama", "ปานามา", "پاناما"),
    "PE": ("Peru", "เปรู", "پرو"),
    "PF": ("French Polynesia", "เฟรนช์โปลินีเซีย", "پلی\u200cنزی فرانسه"),
    "PG": ("Papua New Guinea", "ปาปัวนิวกินี", "پاپوا گینهٔ نو"),
    "PH": ("Philippines", "ฟิลิปปินส์", "فیلیپین"),
    "PK": ("Pakistan", "ปากีสถาน", "پاکستان"),
    "PL": ("Poland", "โปแลนด์", "لهستان"),
    "PM": ("St. Pierre & Miquelon", "แซงปีแยร์และมีเกอลง", "سن پیر و میکلن"),
    "PN": ("Pitcairn Islands", "หมู่เกาะพิตแคร์น", "جزایر پیت\u200cکرن"),
    "PR": ("Puerto Rico", "เปอร์โตริโก", "پورتوریکو"),
    "PS": ("Palestinian Territories", "ดินแดนปาเลสไตน์", "سرزمین\u200cهای فلسطینی"),
    "PT": ("Portugal", "โปรตุเกส", "پرتغال"),
    "PW": ("Palau", "ปาเลา", "پالائو"),
    "PY": ("Paraguay", "ปารากวัย", "پاراگوئه"),
    "QA": ("Qatar", "กาตาร์", "قطر"),
    "RE": ("Réunion", "เรอูนียง", "رئونیون"),
    "RO": ("Romania", "โรมาเนีย", "رومانی"),
    "RS": ("Serbia", "เซอร์เบีย", "صربستان"),
    "RU": ("Russia", "รัสเซีย", "روسیه"),
    "RW": ("Rwanda", "รวันดา", "رواندا"),
    "SA": ("Saudi Arabia", "ซาอุดีอาระเบีย", "عربستان سعودی"),
    "SB": ("Solomon Islands", "หมู่เกาะโซโลมอน", "جزایر سلیمان"),
    "SC": ("Seychelles", "เซเชลส์", "سیشل"),
    "SD": ("Sudan", "ซูดาน", "سودان"),
    "SE": ("Sweden", "สวีเดน", "سوئد"),
    "SG": ("Singapore", "สิงคโปร์", "سنگاپور"),
    "SH": ("St. Helena", "เซนต์เฮเลนา", "سنت هلن"),
    "SI": ("Slovenia", "สโลวีเนีย", "اسلوونی"),
    "SJ": ("Svalbard & Jan Mayen", "สฟาลบาร์และยานไมเอน", "سوالبارد و یان ماین"),
    "SK": ("Slovakia", "สโลวะเกีย", "اسلواکی"),
    "SL": ("Sierra Leone", "เซียร์ราลีโอน", "سیرالئون"),
    "SM": ("San Marino", "ซานมาริโน", "سان\u200cمارینو"),
    "SN": ("Senegal", "เซเนกัล", "سنگال"),
    "SO": ("Somalia", "โซมาเลีย", "سومالی"),
    "SR": ("Suriname", "ซูรินาเม", "سورینام"),
    "SS": ("South Sudan", "ซูดานใต้", "سودان جنوبی"),
    "ST": ("São Tomé & Príncipe", "เซาตูเมและปรินซิปี", "سائوتومه و پرینسیپ"),
    "SV": ("El Salvador", "เอลซัลวาดอร์", "السالوادور"),
    "SX": ("Sint Maarten", "ซินต์มาร์เทน", "سنت مارتن"),
    "SY": ("Syria", "ซีเรีย", "سوریه"),
    "SZ": ("Eswatini", "เอสวาตีนี", "اسواتینی"),
    "TC": ("Turks & Caicos Islands", "หมู่เกาะเติกส์และหมู่เกาะเคคอส", "جزایر تورکس و کایکوس"),
    "TD": ("Chad", "ชาด", "چاد"),
    "TF": ("French Southern Territories", "เฟรนช์เซาเทิร์นเทร์ริทอรีส์", "سرزمین\u200cهای جنوبی فرانسه"),
    "TG": ("Togo", "โตโก", "توگو"),
    "TH": ("Thailand", "ไทย", "تایلند"),
    "TJ": ("Tajikistan", "ทาจิกิสถาน", "تاجیکستان"),
    "TK": ("Tokelau", "โตเกเลา", "توکلائو"),
    "TL": ("Timor-Leste", "ติมอร์-เลสเต", "تیمور-لسته"),
    "TM": ("Turkmenistan", "เติร์กเมนิสถาน", "ترکمنستان"),
    "TN": ("Tunisia", "ตูนิเซีย", "تونس"),
    "TO": ("Tonga", "ตองกา", "تونگا"),
    "TR": ("Türkiye", "ตุรกี", "ترکیه"),
    "TT": ("Trinidad & Tobago", "ตรินิแดดและโตเบโก", "ترینیداد و توباگو"),
    "TV": ("Tuvalu", "ตูวาลู", "تووالو"),
    "TW": ("Taiwan", "ไต้หวัน", "تایوان"),
    "TZ": ("Tanzania", "แทนซาเนีย", "تانزانیا"),
    "UA": ("Ukraine", "ยูเครน", "اوکراین"),
    "UG": ("Uganda", "ยูกันดา", "اوگاندا"),
    "UM": ("U.S. Outlying Islands", "หมู่เกาะรอบนอกของสหรัฐอเมริกา", "جزایر دورافتادهٔ ایالات متحده"),
    "US": ("United States", "สหรัฐอเมริกา", "ایالات متحده"),
    "UY": ("Uruguay", "อุรุกวัย", "اروگوئه"),
    "UZ": ("Uzbekistan", "อุซเบกิสถาน", "ازبکستان"),
    "VA": ("Vatican City", "นครวาติกัน", "واتیکان"),
    "VC": ("St. Vincent & Grenadines", "เซนต์วินเซนต์และเกรนาดีนส์", "سنت وینسنت و گرنادین"),
    "VE": ("Venezuela", "เวเนซุเอลา", "ونزوئلا"),
    "VG": ("British Virgin Islands", "หมู่เกาะบริติชเวอร์จิน", "جزایر ویرجین بریتانیا"),
    "VI": ("U.S. Virgin Islands", "หมู่เกาะเวอร์จินของสหรัฐอเมริกา", "جزایر ویرجین ایالات متحده"),
    "VN": ("Vietnam", "เวียดนาม", "ویتنام"),
    "VU": ("Vanuatu", "วานูอาตู", "وانواتو"),
    "WF": ("Wallis & Futuna", "วาลลิสและฟุตูนา", "والیس و فوتونا"),
    "WS": ("Samoa", "ซามัว", "ساموآ"),
    "YE": ("Yemen", "เยเมน", "یمن"),
    "YT": ("Mayotte", "มายอต", "مایوت"),
    "ZA": ("South Africa", "แอฟริกาใต้", "افریقای جنوبی"),
    "ZM": ("Zambia", "แซมเบีย", "زامبیا"),
    "ZW": ("Zimbabwe", "ซิมบับเว", "زیمبابوه"),
}


def country_name(code, language=None):
    """The country's name in `language` (the active one by default); the code if unknown."""
    names = NAMES.get((code or "").upper())
    if not names:
        return code or ""
    lang = (language or get_language() or "en").split("-")[0]
    return names[LANGUAGES.index(lang)] if lang in LANGUAGES else names[0]


def _sort_key(name):
    folded = normalize(name)
    # Thai dictionaries order by the consonant: a leading vowel (เ แ โ ใ ไ) comes after it.
    if len(folded) > 1 and folded[0] in "เแโใไ":
        folded = folded[1] + folded[0] + folded[2:]
    return folded


_CHOICES = {}
_SEARCH = {}


def country_choices(language=None):
    """(code, name) pairs sorted by name in `language` (the active one by default)."""
    lang = (language or get_language() or "en").split("-")[0]
    if lang not in _CHOICES:
        _CHOICES[lang] = sorted(
            ((code, country_name(code, lang)) for code in NAMES),
            key=lambda pair: _sort_key(pair[1]),
        )
    return _CHOICES[lang]


def search_text(code):
    """Every name of the country and its code, folded, for finding it by typing."""
    if code not in _SEARCH:
        _SEARCH[code] = " ".join(normalize(n) for n in (*NAMES[code], code))
    return _SEARCH[code]


def find_country(text):
    """The ISO code for a code or a name typed in any of our languages ("ไทย", "تایلند",
    "thailand", "th"), or None."""
    text = (text or "").strip()
    if not text:
        return None
    if text.upper() in NAMES:
        return text.upper()
    folded = normalize(text)
    for code, names in NAMES.items():
        if any(normalize(n) == folded for n in names):
            return code
    return None


class CountrySelect(forms.Select):
    """A plain <select> of countries in the user's language; each option carries its names
    in every language (`data-search`), which `country_select.js` filters as one types."""

    def __init__(self, attrs=None):
        super().__init__({"data-country-select": "", "class": "form-select", **(attrs or {})})

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in NAMES:
            option["attrs"]["data-search"] = search_text(value)
        return option


class CountryField(forms.CharField):
    """An ISO 3166-1 code chosen from a list of names; a code or a name typed in any of our
    languages (an import, an old form, the API) is accepted too."""

    widget = CountrySelect

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", None)
        super().__init__(*args, **kwargs)

    def widget_choices(self):
        return [("", "—"), *country_choices()]

    def get_bound_field(self, form, field_name):
        # The names follow the language of the request that renders the form.
        self.widget.choices = self.widget_choices()
        return super().get_bound_field(form, field_name)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        code = find_country(value)
        if code is None:
            raise forms.ValidationError(
                _("Choose a country from the list."), code="invalid_country"
            )
        return code
