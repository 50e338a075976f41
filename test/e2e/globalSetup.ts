import { buildSite } from './browser';

export default function setup(): void {
  buildSite();
}
