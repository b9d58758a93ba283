import { AppError, type ConfigurationParameters, type ProductType } from '@classifyd/shared';
import type { ConfigurationStore } from '@classifyd/store';

/** A saved configuration's parameters by id, within the project, refusing one saved for another product. */
export async function savedParameters<T extends ProductType>(
  store: ConfigurationStore,
  projectId: string,
  configurationId: string,
  productType: T,
): Promise<Extract<ConfigurationParameters, { product_type: T }>> {
  const saved = await store.get(projectId, configurationId);
  if (!saved) throw AppError.notFound(`Configuration ${configurationId}`);
  if (saved.parameters.product_type !== productType) {
    throw AppError.validation([
      {
        loc: ['body', 'configuration_id'],
        msg: `configuration ${configurationId} is a ${saved.parameters.product_type} configuration, not ${productType}`,
        type: 'value_error',
      },
    ]);
  }
  return saved.parameters as Extract<ConfigurationParameters, { product_type: T }>;
}
