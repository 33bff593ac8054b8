import { randomColor, randomFrom } from '../random';
import { loadCanvas, type Picture } from './canvas';
import { drawBackdrop, drawCaption, glow, lookFor } from './look';
import type { FrameDrawer } from './video';
import type { WavAudio } from './wav';

export interface SceneRequest {
  width: number;
  height: number;
  duration: number;
  fps: number;
  prompt: string;
  seed: number;
  /** The small label in the corner (provider, model, seed). */
  label: string;
}

/**
 * Text-to-video: the prompt's picture, wider than the frame, under a camera that pans across it,
 * with lights drifting over it and the prompt as a caption. Every frame differs from the last.
 */
export async function promptScene(request: SceneRequest): Promise<FrameDrawer> {
  const { createCanvas } = await loadCanvas();
  const { width, height } = request;
  const panWidth = Math.round(width * 1.3);
  const backdrop = createCanvas(panWidth, height);
  const look = lookFor(request.prompt, request.seed);
  drawBackdrop(backdrop.getContext('2d'), panWidth, height, look);
  const caption = createCanvas(width, height);
  drawCaption(caption.getContext('2d'), width, height, request.prompt, request.label);

  const random = randomFrom(request.seed ^ 0x2545f491);
  const short = Math.min(width, height);
  const lights = Array.from({ length: 5 }, (_, index) => {
    const radius = Math.max(4, Math.round(short * (0.08 + random() * 0.1)));
    const sprite = createCanvas(radius * 2, radius * 2);
    glow(sprite.getContext('2d'), radius, radius, radius, index === 0 ? look.accent : randomColor(random), 0.7);
    return { sprite, radius, speedX: 0.3 + random() * 0.9, speedY: 0.4 + random() * 0.8, phase: random() * Math.PI * 2 };
  });

  return (context, _index, time) => {
    const progress = request.duration > 0 ? time / request.duration : 0;
    const eased = 0.5 - 0.5 * Math.cos(Math.PI * progress);
    context.drawImage(backdrop, -Math.round((panWidth - width) * eased), 0);
    for (const light of lights) {
      const x = width * (0.5 + 0.42 * Math.sin(time * light.speedX + light.phase)) - light.radius;
      const y = height * (0.42 + 0.3 * Math.cos(time * light.speedY + light.phase * 1.7)) - light.radius;
      context.drawImage(light.sprite, x, y);
    }
    context.drawImage(caption, 0, 0);
  };
}

/**
 * Image-to-video: the first frame is the given image (covering the frame, centred), then the
 * camera pushes in slowly towards a point the seed picks, and the prompt fades in as a caption.
 */
export async function imageScene(request: SceneRequest, image: Picture): Promise<FrameDrawer> {
  const { createCanvas } = await loadCanvas();
  const { width, height } = request;
  const caption = createCanvas(width, height);
  drawCaption(caption.getContext('2d'), width, height, request.prompt, request.label);
  const cover = Math.max(width / image.width, height / image.height);
  const random = randomFrom(request.seed);
  const focusX = 0.35 + random() * 0.3;
  const focusY = 0.35 + random() * 0.3;

  return (context, _index, time) => {
    const progress = request.duration > 0 ? time / request.duration : 0;
    const zoom = cover * (1 + 0.18 * progress);
    const drawnWidth = image.width * zoom;
    const drawnHeight = image.height * zoom;
    // At zoom 1 the image is centred; as it grows the centre slides towards the focus point.
    const x = (width - drawnWidth) / 2 - (drawnWidth - image.width * cover) * (focusX - 0.5);
    const y = (height - drawnHeight) / 2 - (drawnHeight - image.height * cover) * (focusY - 0.5);
    context.imageSmoothingQuality = 'medium';
    context.drawImage(image, x, y, drawnWidth, drawnHeight);
    const fade = Math.min(1, Math.max(0, (time - 0.5) / 0.5));
    if (fade > 0) {
      context.globalAlpha = fade;
      context.drawImage(caption, 0, 0);
      context.globalAlpha = 1;
    }
  };
}

/** Where a presenter's face parts are, for a frame size: shared by the drawing and by tests that read frames. */
export function presenterLayout(width: number, height: number) {
  const short = Math.min(width, height);
  const headWidth = short * 0.34;
  const headHeight = headWidth * 1.28;
  const centreX = width / 2;
  const centreY = height * 0.5 - headHeight * 0.1;
  const mouthWidth = headWidth * 0.36;
  const mouthY = centreY + headHeight * 0.26;
  return {
    head: { x: centreX, y: centreY, radiusX: headWidth / 2, radiusY: headHeight / 2 },
    eyes: { y: centreY - headHeight * 0.06, spacing: headWidth * 0.2, radius: Math.max(1.5, headWidth * 0.055) },
    /** The mouth's centre and size; its opening is at most `maxOpening` pixels tall. */
    mouth: { x: centreX, y: mouthY, width: mouthWidth, maxOpening: headHeight * 0.14 },
    /** How far the head sways, in pixels, either way. */
    sway: { x: width * 0.006, y: height * 0.004 },
  };
}

/** Faces in human colours, light to dark, so an avatar reads as a person at a glance. */
const skinTones: [number, number, number][] = [
  [241, 214, 190],
  [224, 183, 150],
  [198, 148, 110],
  [160, 110, 75],
  [128, 88, 62],
];

/**
 * An avatar: a presenter in front of the prompt's scene whose mouth opens with the loudness of the
 * speech in each frame (the envelope of the sound track), who blinks and moves a little.
 */
export async function presenterScene(request: SceneRequest, envelope: readonly number[]): Promise<FrameDrawer> {
  const { createCanvas } = await loadCanvas();
  const { width, height } = request;
  const layout = presenterLayout(width, height);
  const random = randomFrom(request.seed);
  const skin = skinTones[Math.floor(random() * skinTones.length)] ?? skinTones[0]!;
  const shirt = randomColor(random);
  const hair = [40 + random() * 50, 28 + random() * 30, 20 + random() * 20].map(Math.round);

  // Everything that does not move: the scene, dimmed, and the body.
  const still = createCanvas(width, height);
  const stillContext = still.getContext('2d');
  drawBackdrop(stillContext, width, height, lookFor(request.prompt, request.seed));
  stillContext.fillStyle = 'rgba(0,0,0,0.25)';
  stillContext.fillRect(0, 0, width, height);
  stillContext.fillStyle = `rgb(${shirt.join(',')})`;
  stillContext.beginPath();
  stillContext.ellipse(layout.head.x, height * 1.02, layout.head.radiusX * 2.4, height - layout.head.y - layout.head.radiusY * 0.6, 0, Math.PI, 0);
  stillContext.fill();
  const caption = createCanvas(width, height);
  drawCaption(caption.getContext('2d'), width, height, request.prompt, request.label);
  const blinkEvery = 2.6 + random() * 1.5;

  return (context, index, time) => {
    context.drawImage(still, 0, 0);
    const dx = layout.sway.x * Math.sin(time * 1.3);
    const dy = layout.sway.y * Math.sin(time * 2.1);
    const { head, eyes, mouth } = layout;
    // Neck, head and hair.
    context.fillStyle = `rgb(${skin.map((channel) => Math.round(channel * 0.85)).join(',')})`;
    context.fillRect(head.x - head.radiusX * 0.35 + dx, head.y + head.radiusY * 0.6 + dy, head.radiusX * 0.7, head.radiusY * 0.6);
    context.fillStyle = `rgb(${hair.join(',')})`;
    context.beginPath();
    context.ellipse(head.x + dx, head.y - head.radiusY * 0.12 + dy, head.radiusX * 1.06, head.radiusY * 0.98, 0, Math.PI, 0);
    context.fill();
    context.fillStyle = `rgb(${skin.join(',')})`;
    context.beginPath();
    context.ellipse(head.x + dx, head.y + dy, head.radiusX, head.radiusY, 0, 0, Math.PI * 2);
    context.fill();
    // Eyes, closed for a tenth of a second now and then.
    const blinking = time % blinkEvery < 0.12;
    context.fillStyle = 'rgb(64,52,72)';
    for (const side of [-1, 1]) {
      const x = head.x + side * eyes.spacing + dx;
      if (blinking) context.fillRect(x - eyes.radius, eyes.y + dy - 1, eyes.radius * 2, Math.max(1, eyes.radius * 0.4));
      else {
        context.beginPath();
        context.arc(x, eyes.y + dy, eyes.radius, 0, Math.PI * 2);
        context.fill();
      }
    }
    // The mouth: lips around an opening as tall as the speech is loud in this frame.
    const opening = mouth.maxOpening * Math.min(1, envelope[index] ?? 0);
    const lipHeight = Math.max(1.5, mouth.maxOpening * 0.16);
    context.fillStyle = 'rgb(176,84,92)';
    context.beginPath();
    context.ellipse(mouth.x + dx, mouth.y + dy, mouth.width / 2, opening / 2 + lipHeight, 0, 0, Math.PI * 2);
    context.fill();
    if (opening >= 1) {
      context.fillStyle = 'rgb(26,6,10)';
      context.beginPath();
      context.ellipse(mouth.x + dx, mouth.y + dy, mouth.width / 2 - lipHeight, opening / 2, 0, 0, Math.PI * 2);
      context.fill();
    }
    context.drawImage(caption, 0, 0);
  };
}

/**
 * How loud the speech is in each video frame, 0 (silent: mouth shut) to 1 (wide open): the RMS of
 * the frame's samples against the loud end of the whole track, gated so breath noise stays shut.
 */
export function speechEnvelope(audio: WavAudio, fps: number, frames: number): number[] {
  const perFrame = audio.sampleRate / fps;
  const levels: number[] = [];
  for (let frame = 0; frame < frames; frame += 1) {
    const start = Math.floor(frame * perFrame);
    const end = Math.min(audio.samples.length, Math.floor((frame + 1) * perFrame));
    let sum = 0;
    for (let index = start; index < end; index += 1) sum += (audio.samples[index] ?? 0) ** 2;
    levels.push(end > start ? Math.sqrt(sum / (end - start)) / 32768 : 0);
  }
  const sorted = levels.filter((level) => level > 0).sort((first, second) => first - second);
  const loud = sorted[Math.floor(sorted.length * 0.9)] ?? 0;
  if (loud === 0) return levels.map(() => 0);
  return levels.map((level) => {
    const value = level / loud;
    return value < 0.12 ? 0 : Math.min(1, value);
  });
}
