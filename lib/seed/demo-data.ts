/** Fixed demo content: names, subjects and bodies the seed combines deterministically. */
export const DEMO_PASSWORD = "relaydesk-demo";

export const DEMO_USERS = [
  { email: "admin@acme.test", name: "Ada Admin", role: "ADMIN", language: "en" },
  { email: "manager@acme.test", name: "Mina Manager", role: "MANAGER", language: "en" },
  { email: "ayse@acme.test", name: "Ayşe Yılmaz", role: "AGENT", language: "tr" },
  { email: "ben@acme.test", name: "Ben Carter", role: "AGENT", language: "en" },
  { email: "carla@acme.test", name: "Carla Ruiz", role: "AGENT", language: "en" },
] as const;

export const DEMO_GROUPS = [
  { name: "Support", members: ["ayse@acme.test", "ben@acme.test"], brands: ["acme"] },
  { name: "Billing", members: ["carla@acme.test", "ben@acme.test"], brands: ["acme", "globex"] },
] as const;

export const DEMO_BRANDS = [
  { slug: "acme", name: "Acme", color: "#4f46e5", defaultLanguage: "en", timezone: "Europe/Istanbul" },
  { slug: "globex", name: "Globex", color: "#059669", defaultLanguage: "en", timezone: "America/New_York" },
] as const;

export const DEMO_TAGS = ["vip", "refund", "bug", "shipping", "onboarding", "urgent", "feedback"];
export const DEMO_TYPES = ["Question", "Problem", "Feature request"];
export const DEMO_TOPICS = ["Billing", "Shipping", "Account", "Technical"];

export const DEMO_CUSTOMERS = [
  ["Mehmet Demir", "mehmet.demir@example.com", "tr"],
  ["Zeynep Kaya", "zeynep.kaya@example.com", "tr"],
  ["Emma Johnson", "emma.johnson@example.com", "en"],
  ["Liam Smith", "liam.smith@example.org", "en"],
  ["Sofía García", "sofia.garcia@example.es", "en"],
  ["Noah Brown", "noah.brown@example.com", "en"],
  ["Elif Şahin", "elif.sahin@example.com.tr", "tr"],
  ["Olivia Davis", "olivia.davis@example.net", "en"],
  ["Lucas Martin", "lucas.martin@example.fr", "en"],
  ["Ava Wilson", "ava.wilson@example.com", "en"],
  ["Can Öztürk", "can.ozturk@example.com", "tr"],
  ["Mia Anderson", "mia.anderson@example.com", "en"],
  ["Ethan Thomas", "ethan.thomas@example.io", "en"],
  ["Isabella Moore", "isabella.moore@example.com", "en"],
  ["Burak Aydın", "burak.aydin@example.com", "tr"],
  ["Sven Lindqvist", "sven.lindqvist@example.se", "en"],
  ["Chloe Taylor", "chloe.taylor@example.co.uk", "en"],
  ["James Lee", "james.lee@example.com", "en"],
] as const;

export const DEMO_SUBJECTS = [
  ["Refund for order #4411", "Hi, I returned my order last week but haven't seen the refund yet. Could you check?"],
  ["Cannot log in to my account", "Every time I try to log in I get an error saying my password is wrong, even after resetting it."],
  ["Siparişim hâlâ gelmedi", "Merhaba, 3 gün önce verdiğim sipariş hâlâ kargoya verilmedi. Yardımcı olabilir misiniz?"],
  ["Şikayet: ürün hasarlı geldi", "Kutudan çıkan ürün kırık. Değişim veya iade istiyorum."],
  ["Invoice address needs updating", "Please change the billing address on my last invoice to our new office."],
  ["Feature request: dark mode", "Would love a dark mode in the app. My eyes thank you in advance!"],
  ["App crashes on startup", "Since the last update the app closes immediately on my phone (Android 15)."],
  ["Question about the Pro plan", "Does the Pro plan include priority support and how many seats does it cover?"],
  ["Shipping to Norway?", "Do you ship to Norway, and what are the customs fees?"],
  ["Double charged this month", "My card was charged twice for the March subscription."],
  ["Fatura bilgisi", "Kurumsal fatura kesebiliyor musunuz? Vergi numaramızı iletebilirim."],
  ["Password reset email never arrives", "I requested a reset three times but nothing arrives, also not in spam."],
  ["Bulk discount for 50 units", "We'd like to order 50 units for our team. Is there a volume discount?"],
  ["Tracking number not working", "The tracking link you sent shows 'not found'."],
  ["Cancel my subscription", "Please cancel my subscription at the end of this billing period."],
] as const;

export const DEMO_REPLIES = [
  "Thanks for reaching out! I've looked into this and will get back to you shortly.",
  "I'm sorry for the trouble. Could you send us a screenshot of the error?",
  "Good news: this has been fixed on our side. Could you try again?",
  "I've forwarded this to our billing team; you'll hear from us within one business day.",
  "Merhaba, talebinizi aldık. En kısa sürede dönüş yapacağız.",
];

export const DEMO_NOTES = ["Customer is on the Pro plan; check the invoice in the billing system.", "Possibly related to last week's deploy — asked engineering.", "VIP: handle with priority."];

export const DEMO_CANNED = [
  { shortcut: "thanks", title: "Thanks for contacting us", body: "<p>Hi {{customer.name}},</p><p>Thanks for contacting us! We're on it.</p><p>{{agent.name}}</p>" },
  { shortcut: "refund", title: "Refund issued", body: "<p>Hi {{customer.name}},</p><p>Your refund has been issued and will appear on your statement within 5–10 business days.</p>" },
  { shortcut: "screenshot", title: "Ask for a screenshot", body: "<p>Could you send us a screenshot of what you see? That helps us find the cause quickly.</p>" },
  { shortcut: "merhaba", title: "Türkçe karşılama", body: "<p>Merhaba {{customer.name}},</p><p>Bize ulaştığınız için teşekkürler.</p>" },
];
