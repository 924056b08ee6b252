// One-time codes such as 402-crossover-clockwork (docs/passphrase.md item 11), read and made as
// src/Parley.Core/Passphrase/PassphraseCode.cs does: the slot, then one "odd" (three-syllable) and
// one "even" (two-syllable) word of the PGP word list, ordered as magic-wormhole orders them, so a
// swapped or dropped word is caught while reading. The passphrase is the two words alone.

/** Two-syllable words, indexed by byte value (the same table as PgpWordList.Even). */
const EVEN = `
  aardvark absurd accrue acme adrift adult afflict ahead aimless algol allow alone ammo ancient apple artist
  assume athens atlas aztec baboon backfield backward banjo beaming bedlamp beehive beeswax befriend belfast berserk billiard
  bison blackjack blockade blowtorch bluebird bombast bookshelf brackish breadline breakup brickyard briefcase burbank button buzzard cement
  chairlift chatter checkup chisel choking chopper christmas clamshell classic classroom cleanup clockwork cobra commence concert cowbell
  crackdown cranky crowfoot crucial crumpled crusade cubic dashboard deadbolt deckhand dogsled dragnet drainage dreadful drifter dropper
  drumbeat drunken dupont dwelling eating edict egghead eightball endorse endow enlist erase escape exceed eyeglass eyetooth
  facial fallout flagpole flatfoot flytrap fracture framework freedom frighten gazelle geiger glitter glucose goggles goldfish gremlin
  guidance hamlet highchair hockey indoors indulge inverse involve island jawbone keyboard kickoff kiwi klaxon locale lockup
  merit minnow miser mohawk mural music necklace neptune newborn nightbird oakland obtuse offload optic orca payday
  peachy pheasant physique playhouse pluto preclude prefer preshrunk printer prowler pupil puppy python quadrant quiver quota
  ragtime ratchet rebirth reform regain reindeer rematch repay retouch revenge reward rhythm ribcage ringbolt robust rocker
  ruffled sailboat sawdust scallion scenic scorecard scotland seabird select sentence shadow shamrock showgirl skullcap skydive slingshot
  slowdown snapline snapshot snowcap snowslide solo southward soybean spaniel spearhead spellbind spheroid spigot spindle spyglass stagehand
  stagnate stairway standard stapler steamship sterling stockman stopwatch stormy sugar surmount suspense sweatband swelter tactics talon
  tapeworm tempest tiger tissue tonic topmost tracker transit trauma treadmill trojan trouble tumor tunnel tycoon uncut
  unearth unwind uproot upset upshot vapor village virus vulcan waffle wallet watchword wayside willow woodlark zulu
`.trim().split(/\s+/);

/** Three-syllable words, indexed by byte value (the same table as PgpWordList.Odd). */
const ODD = `
  adroitness adviser aftermath aggregate alkali almighty amulet amusement antenna applicant apollo armistice article asteroid atlantic atmosphere
  autopsy babylon backwater barbecue belowground bifocals bodyguard bookseller borderline bottomless bradbury bravado brazilian breakaway burlington businessman
  butterfat camelot candidate cannonball capricorn caravan caretaker celebrate cellulose certify chambermaid cherokee chicago clergyman coherence combustion
  commando company component concurrent confidence conformist congregate consensus consulting corporate corrosion councilman crossover crucifix cumbersome customer
  dakota decadence december decimal designing detector detergent determine dictator dinosaur direction disable disbelief disruptive distortion document
  embezzle enchanting enrollment enterprise equation equipment escapade eskimo everyday examine existence exodus fascinate filament finicky forever
  fortitude frequency gadgetry galveston getaway glossary gossamer graduate gravity guitarist hamburger hamilton handiwork hazardous headwaters hemisphere
  hesitate hideaway holiness hurricane hydraulic impartial impetus inception indigo inertia infancy inferno informant insincere insurgent integrate
  intention inventive istanbul jamaica jupiter leprosy letterhead liberty maritime matchmaker maverick medusa megaton microscope microwave midsummer
  millionaire miracle misnomer molasses molecule montana monument mosquito narrative nebula newsletter norwegian october ohio onlooker opulent
  orlando outfielder pacific pandemic pandora paperweight paragon paragraph paramount passenger pedigree pegasus penetrate perceptive performance pharmacy
  phonetic photograph pioneer pocketful politeness positive potato processor provincial proximate puberty publisher pyramid quantity racketeer rebellion
  recipe recover repellent replica reproduce resistor responsive retraction retrieval retrospect revenue revival revolver sandalwood sardonic saturday
  savagery scavenger sensation sociable souvenir specialist speculate stethoscope stupendous supportive surrender suspicious sympathy tambourine telephone therapist
  tobacco tolerance tomorrow torpedo tradition travesty trombonist truncated typewriter ultimate undaunted underfoot unicorn unify universe unravel
  upcoming vacancy vagabond vertigo virginia visitor vocalist voyager warranty waterloo whimsical wichita wilmington wyoming yesteryear yucatan
`.trim().split(/\s+/);

const SHAPE = 'A code looks like 7-crossover-clockwork: a slot number and two words.';
const MAX_SLOT = 999_999_999;

/** Two fresh words from a CSPRNG: 16 bits, enough because a slot allows exactly one guess. */
export function generateWords() {
  const [odd, even] = crypto.getRandomValues(new Uint8Array(2));
  return `${ODD[odd]}-${EVEN[even]}`;
}

/**
 * Reads a code as a person typed it: case is ignored, and the parts may be separated by '-',
 * spaces or line breaks. Throws an Error saying what is wrong, never repeating the words (the secret).
 * @returns {{ slot: number, passphrase: string }} passphrase is the canonical 'odd-even' form w is derived from
 */
export function parseCode(code) {
  const parts = code.toLowerCase().split(/[-\s]+/).filter(Boolean);
  if (parts.length !== 3) throw new Error(SHAPE);
  const [slotText, first, second] = parts;
  const slot = Number(slotText);
  if (!/^[0-9]{1,9}$/.test(slotText) || slot < 1 || slot > MAX_SLOT) {
    throw new Error(`The slot number must be a whole number from 1 to ${MAX_SLOT}. ${SHAPE}`);
  }
  if (!ODD.includes(first) || !EVEN.includes(second)) {
    throw new Error(EVEN.includes(first) && ODD.includes(second)
      ? 'The two words are in the wrong order.'
      : 'A word of the code is not in the word list: check its spelling.');
  }
  return { slot, passphrase: `${first}-${second}` };
}
