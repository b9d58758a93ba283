/**
 * A small glossary of common document words in German, French, Spanish, Italian, Portuguese,
 * Dutch and Polish, each line an English word and its translations. It is generic business and
 * office vocabulary (what invoices, letters, reports, CVs, forms and contracts in general are
 * made of), not a list of the words of any rule set. A form ending in * matches any word that
 * starts with it, which covers inflections and compounds ("rechnungsnummer", "faktury").
 * The English word joins the document's words, so English rules can meet a foreign document.
 */
const LINES = `
invoice: rechnung* facture* factura* fattur* fatura* factuur* faktur*
receipt: quittung* kassenbon* kassenbeleg* reçu recibo* ricevut* scontrino* kwitantie* kassabon* paragon* pokwitowan*
contract: vertrag* vertrags* contrat* contrato* contratt* overeenkomst* umowa umowy umowie umow*
agreement: vereinbarung* accord acuerdo* accordo* acordo* akkoord* porozumien*
letter: brief schreiben lettre* courrier* carta lettera* brieven pismo
resume: lebenslauf* curriculum życiorys*
report: bericht* rapport* informe* relazion* relatório* verslag* raport* sprawozdan*
order: bestellung* auftrag* auftrags* commande* pedido* ordine* bestelling* zamówien*
delivery: lieferung* lieferschein* livraison* entrega* consegn* levering* dostaw*
total: gesamt* summe* endbetrag* totale* totaal* razem suma
amount: betrag* montant* importe* importo* valor bedrag* kwota* kwoty
tax: steuer* mwst ust tva taxe* iva impuesto* impost* imposto* btw belasting* podat*
price: preis* prix precio* prezz* preço* prijs* cena ceny
quantity: menge* anzahl quantité* qté cantidad* quantità quantidade* aantal hoeveelheid ilość
payment: zahlung* zahlbar paiement* règlement pago* pagament* betaling* płatnoś* zapłat*
customer: kunde* kunden* client* cliente* klant* klient* nabywc*
supplier: lieferant* fournisseur* proveedor* fornitor* fornecedor* leverancier* dostawc*
seller: verkäufer* vendeur* vendedor* venditor* verkoper* sprzedaw*
date: datum fecha* data
number: nummer* numéro* número* numero* numer*
due: fällig* échéance* vencimiento* scadenz* vencimento* vervaldatum
account: konto* compte* cuenta* conto* conta* rekening* rachun*
address: adresse* anschrift* dirección* domicilio* indirizz* endereço* adres*
name: nom nombre* nome naam nazwisk* imię
signature: unterschrift* signature* firma assinatura* handtekening* podpis*
dear: geehrte* geehrter sehr liebe chère cher madame monsieur estimad* querid* gentile egregi* prezad* geachte szanown*
regards: grüße grüßen grüssen cordialement salutations saludos atentamente saluti cordiali atenciosamente cumprimentos groet groeten pozdrawiam poważaniem
subject: betreff* objet asunto* oggetto assunto* onderwerp* betreft dotyczy
page: seite* página* pagin* pagina*
research: forschung* recherche* investigación* ricerc* pesquisa* onderzoek* badań badania
study: studie* étude* estudio* studio estudo*
summary: zusammenfassung* resumen* riassunt* sommario resumo* samenvatting* streszczen*
results: ergebnis* résultat* resultado* risultat* resultat* wynik*
references: literatur* références referencias bibliografi* referências literatuur*
university: universität* hochschule* université* universidad* universit* universidade* universiteit* uniwersyte*
patient: patient* paciente* pazient* patiënt* pacjent*
diagnosis: diagnose* befund* diagnostic* diagnóstico* diagnos* diagnoz* rozpoznan*
doctor: arzt ärzt* médecin* médico* medico* arts dokter* lekarz*
hospital: krankenhaus* klinik* hôpital* ospedal* ziekenhuis* szpital*
treatment: behandlung* therapie* traitement* tratamiento* trattament* tratamento* behandeling* leczen*
experience: erfahrung* berufserfahrung* expérience* experiencia* esperienz* experiência* ervaring* werkervaring doświadczen*
education: ausbildung* bildung studium formation* éducation educación* formación* istruzione formazione educação formação opleiding* wykształcen* edukacj*
skills: kenntnisse fähigkeit* compétence* habilidades competencias competenz* competências vaardigheden umiejętnoś*
work: arbeit* beruf* emploi* travail* empleo* trabajo* lavor* impiego trabalho* werk baan praca pracy
application: bewerbung* antrag* candidature* candidatura* sollicitatie* aanvraag* wniosek* wniosku
form: formular* formulaire* formulario* modulo formulário* formulier* formularz*
clause: klausel* paragraph* abschnitt* clause* cláusula* clausol* bepaling* paragraf* klauzul*
termination: kündigung* résiliation* rescisión terminación risoluzione recesso rescisão opzegging* beëindiging wypowiedzen*
law: gesetz* recht loi droit ley derecho legge diritto lei direito wet prawo ustaw*
company: firma gmbh unternehmen* gesellschaft* société* entreprise* empresa* sociedad* società azienda* sociedade* bedrijf* onderneming* spółk*
news: nachricht* meldung* actualité* nouvelles noticia* notizi* notícia* nieuws* wiadomoś*
thanks: danke dank merci gracias grazie obrigad* bedankt dziękuj*
discount: rabatt* remise* descuento* scont* desconto* korting* rabat*
unit: einheit* stück unité* unidad* unità unidade* eenheid* stuks jednost* szt
description: beschreibung* bezeichnung* désignation* libellé descripción* concepto descrizion* descrição* omschrijving* opis
net: netto neto imponibile líquido
gross: brutto lordo bruto ttc
quotation: angebot* devis offre* presupuesto* oferta* preventiv* offert* orçamento* offerte*
conditions: bedingung* conditions condiciones condizion* condições voorwaarden warunk*
certificate: bescheinigung* zertifikat* zeugnis* certificat* attestation* certificado* certificaat* zaświadczen* certyfikat*
meeting: sitzung* besprechung* réunion* reunión* riunion* reunião* vergadering* spotkan* zebran*
`;

const exact = new Map<string, string>();
const prefixes = new Map<string, string>();
for (const line of LINES.trim().split('\n')) {
  const [english, forms] = line.split(':') as [string, string];
  for (const form of forms.trim().split(/\s+/)) {
    if (form.endsWith('*')) prefixes.set(form.slice(0, -1), english);
    else exact.set(form, english);
  }
}
const MIN_PREFIX = 4;
const MAX_PREFIX = Math.max(...[...prefixes.keys()].map((p) => p.length));

/** The English glossary word for a lowercased foreign word, or undefined. */
export function englishFor(word: string): string | undefined {
  const found = exact.get(word);
  if (found) return found;
  for (let length = Math.min(word.length, MAX_PREFIX); length >= MIN_PREFIX; length--) {
    const english = prefixes.get(word.slice(0, length));
    if (english) return english;
  }
  return undefined;
}
