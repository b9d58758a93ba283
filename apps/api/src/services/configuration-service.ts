import {
  AppError,
  type Configuration,
  type ConfigurationListQuery,
  type ConfigurationParameters,
  configurationCreateSchema,
  configurationUpdateSchema,
  type ListPage,
  parseOrThrow,
} from '@classifyd/shared';
import type { ConfigurationStore, ExampleStore } from '@classifyd/store';
import type { Principal } from '../auth.js';
import { assertPageLimit } from './page-limit.js';

export class ConfigurationService {
  /** `maxPagesPerParse`: MAX_PAGES_PER_PARSE, checked when a preset is saved as when it is used. */
  constructor(
    private readonly store: ConfigurationStore,
    private readonly examples: ExampleStore,
    private readonly maxPagesPerParse: number,
  ) {}

  private assertPageLimit(parameters: ConfigurationParameters | null | undefined): void {
    if (!parameters) return;
    if (parameters.product_type === 'classify_v2') {
      const loc = ['body', 'parameters', 'parsing_configuration'];
      assertPageLimit(parameters.parsing_configuration, this.maxPagesPerParse, loc);
    } else {
      assertPageLimit(parameters.page_ranges, this.maxPagesPerParse, ['body', 'parameters', 'page_ranges']);
    }
  }

  async create(principal: Principal, rawBody: unknown): Promise<Configuration> {
    const body = parseOrThrow(configurationCreateSchema, rawBody, 'body');
    this.assertPageLimit(body.parameters);
    return this.store.upsert(principal.projectId, body.name, body.parameters);
  }

  async get(principal: Principal, id: string): Promise<Configuration> {
    const found = await this.store.get(principal.projectId, id);
    if (!found) throw AppError.notFound(`Configuration ${id}`);
    return found;
  }

  async update(principal: Principal, id: string, rawBody: unknown): Promise<Configuration> {
    const body = parseOrThrow(configurationUpdateSchema, rawBody, 'body');
    this.assertPageLimit(body.parameters);
    return this.store.update(principal.projectId, id, body);
  }

  async delete(principal: Principal, id: string): Promise<void> {
    if (!(await this.store.delete(principal.projectId, id))) throw AppError.notFound(`Configuration ${id}`);
    // After the configuration, so that no example can be added meanwhile (adding checks it).
    await this.examples.deleteAllOf(principal.projectId, id);
  }

  async list(principal: Principal, query: ConfigurationListQuery): Promise<ListPage<Configuration>> {
    const { items, page } = await this.store.list(principal.projectId, {
      pageSize: query.page_size,
      pageToken: query.page_token,
      productTypes: query.product_type,
      name: query.name,
    });
    return { items, next_page_token: page.nextPageToken, total_size: page.totalSize };
  }
}
